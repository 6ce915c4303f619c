## The knowledge base: articles, sections, revisions, feedback and its API.

kb-unknown-article-status = unknown article status "{ $status }": use draft, published or archived
kb-article-not-found = article not found
kb-section-not-found = section not found
kb-revision-not-found = revision not found
kb-only-curators-promote = only staff, moderators and admins can promote threads to the knowledge base
kb-only-curators-write = only staff, moderators and admins can write knowledge-base articles
kb-only-curators-edit = only staff, moderators and admins can edit knowledge-base articles
kb-only-curators-status = only staff, moderators and admins can publish or archive articles
kb-only-curators-review = only staff, moderators and admins can review articles
kb-only-curators-restore = only staff, moderators and admins can restore revisions
kb-only-curators-list = only staff, moderators and admins can list drafts and archived articles
# $path is the article's address (/kb/12/router-admin-password).
kb-thread-already-promoted = this thread is already in the knowledge base: { $path }
kb-new-article-status = a new article is published or a draft
kb-no-accepted-answer = this thread has no accepted answer: choose the answer to promote
kb-post-not-an-answer = the chosen post is not an answer in this thread
kb-edit-conflict = someone saved revision { $revision } meanwhile: reload the article, then make your change again
kb-patch-empty = nothing to change: send title, body, section, applies_to, review_by or status
kb-too-much-feedback = you have answered "Was this helpful?" many times: try again in { $wait }
kb-section-name-too-short = the section name needs at least 2 characters with letters or digits
kb-version-too-long = the version "{ $version }" is longer than 40 characters
kb-too-many-versions = an article applies to at most 20 versions
kb-review-date-format = the review date is a date like 2027-05-31 (YYYY-MM-DD)
kb-review-date-range = the review date is between today and ten years from now

## Knowledge-base pages and API parameters.

kb-title-promote = Promote to the knowledge base
kb-title-new-article = New article
kb-title-edit-article = Edit article
kb-status-action-invalid = action is publish, archive or draft
kb-revision-number-invalid = revisions are numbered from 1
kb-helpful-invalid = helpful is yes or no
kb-feedback-no-cookie = your browser did not send the session cookie: reload the article (with cookies on) and try again
kb-soon-range = soon is between 0 and 365 days
kb-api-limit-range = limit is between 1 and 200
kb-api-offset-range = offset is between 0 and 1000000

## Revision summaries the site writes for the editor (stored with the revision, in the editor's
## language). $thread and $revision are numbers.

kb-summary-promoted = Promoted from thread { $thread }
kb-summary-restored = Restored revision { $revision }
