"""Retracted and corrected sources: the DOIs and PMIDs an article's references cite, checked
on a schedule against Crossref's update notices and PubMed's retraction notices; readers see
a mark on an affected reference, editors a queue and a note in the article's review state."""
