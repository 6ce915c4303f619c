## The knowledge base: its home and sections, articles, the article editor, revisions and
## changes, and the staff pages (KB upkeep, threads worth promoting, content gaps).

# An article's status, wherever one is shown.
kb-article-status = { $status ->
    [draft] draft
    [published] published
    [archived] archived
   *[other] { $status }
}

kb-breadcrumb = Breadcrumb
kb-new-article = New article
kb-history = History

## Home and sections

# $search and $ask are links (kb-home-search-link, kb-home-ask-link).
kb-home-lead = Answers verified by our staff, made from the best solved questions. Can't find yours? { $search } or { $ask }.
kb-home-search-link = Search everything
kb-home-ask-link = ask the community
# $section is the section's name.
kb-home-all-articles = { $count ->
    [one] The 1 article in { $section } →
   *[other] All { $count } articles in { $section } →
}
kb-home-empty = No articles yet. Staff promote the best solved questions here.
kb-section-empty = No published articles in this section yet.

## An article

kb-article-archived = Archived.
kb-article-archived-note = This article is no longer maintained and may be out of date.
kb-article-draft = Draft.
kb-article-draft-note = Only staff can see this article until it is published.
kb-article-verified-by = Verified by
kb-article-last-reviewed = Last reviewed
kb-article-applies-to = Applies to
kb-article-review-by = Review by
# A review date that has passed; $date is the date.
kb-review-by-due = { $date } (due)
# $question links to the thread, $asker is who asked it.
kb-article-source = From the question { $question } asked by { $asker }. Thank you!
# As kb-article-source; $answer is a link worded kb-article-source-answer-link, $answerer who wrote it.
kb-article-source-with-answer = From the question { $question } asked by { $asker }, with the { $answer } by { $answerer }. Thank you!
kb-article-source-answer-link = answer
kb-article-history-link = { $count ->
    [one] History (1 revision)
   *[other] History ({ $count } revisions)
}

## "Was this helpful?"

kb-feedback-heading = Was this helpful?
kb-feedback-thanks = Thanks for your feedback!
kb-feedback-comment-label = What was missing or wrong? (optional)
kb-feedback-yes = Yes, it helped
kb-feedback-no = No

## The staff panel under an article

kb-staff-heading = Staff
# $yes and $no are the counts of votes.
kb-staff-helpful = Helpful: { $yes } yes, { $no } no.
kb-staff-helpful-percent = Helpful: { $yes } yes, { $no } no ({ $percent }%).
# A reader's answer to "Was this helpful?" ($helpful: yes or no).
kb-feedback-answer = { $helpful ->
    [yes] yes
   *[no] no
}
# Who gave feedback ($anonymous: yes for a visitor who was not signed in) and when.
kb-feedback-by = — { $anonymous ->
    [yes] anonymous
   *[no] { $handle }
}, { $when }
kb-article-edit = Edit
kb-action-publish = Publish
kb-action-archive = Archive
kb-action-draft = Back to draft
kb-next-review-label = Next review (empty: in 180 days)
kb-mark-reviewed = Mark as reviewed

## The editor (promote a thread, write a new article, edit one)

kb-editor-promote-heading = Promote to the knowledge base
# $thread links to the question.
kb-editor-promote-intro = From { $thread }. Rewrite the title as a statement of the problem and make the text stand on its own.
kb-editor-edit-heading = Edit article
# $article links to the article, $status is its status (kb-article-status), $history a link worded kb-editor-history-link.
kb-editor-edit-intro = { $article } ({ $status }). Every edit is kept in the { $history }; saving marks the article as verified by you.
kb-editor-history-link = history
kb-editor-answer-legend = Answer it comes from
kb-editor-answer-accepted = (accepted)
kb-editor-title = Title
kb-editor-section = Section
kb-editor-applies-to = Applies to versions (comma separated)
kb-editor-review-by-edit = Review by (empty: keep it, or in 180 days if it has passed)
kb-editor-review-by-new = Review by (empty: in 180 days)
kb-editor-body = Text (markdown)
kb-editor-summary = Edit summary
kb-editor-save = Save
kb-editor-save-draft = Save as draft
kb-editor-preview = Preview

## Revisions and changes

kb-revisions-caption = Revisions, newest first
kb-revisions-col-from = From
kb-revisions-col-to = To
kb-revisions-col-revision = Revision
kb-revisions-col-editor = Editor
kb-revisions-col-summary = Summary
kb-revisions-col-when = When
kb-revisions-compare-from = Compare from revision { $number }
kb-revisions-compare-to = Compare to revision { $number }
kb-revisions-restore = Restore
kb-revisions-compare = Compare
kb-diff-heading = Changes from revision { $from } to { $to }
kb-diff-stats = { $inserted ->
    [one] 1 line added
   *[other] { $inserted } lines added
}, { $deleted } removed.
# $old and $new are the title before and after.
kb-diff-title = Title: { $old } → { $new }
kb-diff-applies-to = Applies to: { $old } → { $new }
kb-diff-section-changed = The section changed.
kb-diff-lines-label = Line changes
kb-diff-same = The text is the same in both revisions.

## Staff: knowledge base upkeep

kb-upkeep-col-article = Article
kb-upkeep-col-review-by = Review by
kb-upkeep-col-helpful = Helpful
kb-upkeep-col-updated = Updated
# Share of "yes" answers among $total votes.
kb-upkeep-helpful-share = { $percent }% of { $total }
kb-upkeep-due-heading = Due for review
kb-upkeep-due-note = Published articles whose review date has passed or comes within { $days ->
    [one] 1 day
   *[other] { $days } days
}.
kb-upkeep-due-empty = Nothing is due.
kb-upkeep-worst-heading = Least helpful
kb-upkeep-worst-note = Published articles with at least { $votes } votes, lowest share of "yes" first.
kb-upkeep-worst-empty = Not enough votes yet.
kb-upkeep-drafts-heading = Drafts
kb-upkeep-drafts-empty = No drafts.
kb-upkeep-archived-heading = Archived
kb-upkeep-archived-empty = Nothing archived.

## Staff: threads worth promoting

kb-candidates-lead = Solved questions not yet in the knowledge base, most worth promoting first.
kb-candidates-ranking = How they are ranked: each time the question was asked again (a later question with a matching title, or a duplicate closed into it) counts 5 points, each vote on the question (up votes minus down votes) 2 points, and every full 50 views 1 point. Priority is the total; on a tie, the newer question comes first.
kb-candidates-col-question = Question
kb-candidates-col-asked-again = Asked again
kb-candidates-col-votes = Votes
kb-candidates-col-views = Views
kb-candidates-col-priority = Priority
kb-candidates-promote = Promote
kb-candidates-empty = Every solved question is in the knowledge base already.
