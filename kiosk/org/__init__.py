"""The organisation tree: county → township → service hall and villages."""
