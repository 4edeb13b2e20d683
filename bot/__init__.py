"""gridbot: neighbourhood grid governance bot."""
