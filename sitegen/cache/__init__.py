"""What one build hands to the next, at two seams: parsed files and rendered pages."""
