"""spaCy side of kg: tokenizers and components. spaCy objects do not leave this package."""
