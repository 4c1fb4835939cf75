"""Content a non-programmer edits (data/): each file read, validated and explained when it is wrong."""
