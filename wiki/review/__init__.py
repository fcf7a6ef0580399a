"""Medical review: reviewers mark revisions; readers may be shown the reviewed one."""
