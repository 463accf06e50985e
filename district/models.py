"""The district app has no models of its own: the District row and people's language choices live in
participants (participants/models.py), where every floor may read them."""
