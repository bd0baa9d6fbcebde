"""What measures redline: labelled sets, peers and the real-speech corpus."""
