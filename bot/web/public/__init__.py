"""The public page of published actions, `/you-said-we-did`, and its printable easy-read poster view."""
