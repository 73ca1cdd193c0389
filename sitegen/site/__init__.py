"""What the site shows: views of the model, routes, rendering into bytes, feeds and open data."""
