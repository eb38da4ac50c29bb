"""The library as readers meet it: the learning-resource fields, facets and
pages in the reader's language, the home and about pages, demo content."""
