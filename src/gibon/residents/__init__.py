"""The district's residents (synthetic in every demo and test) as stored in the database."""
