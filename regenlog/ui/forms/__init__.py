"""Record forms built from field specs, validated as the user types."""
