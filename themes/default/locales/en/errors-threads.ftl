## What questions, answers, comments, votes, thread lists, search and markdown refuse.
## API clients read these in English: keep the English wording stable.

## Asking, answering, commenting.

threads-title-too-short = the title needs at least { $min } characters: say what goes wrong
threads-title-too-long = the title has at most { $max } characters
threads-title-control-characters = the title cannot contain control characters
threads-text-empty = the text is empty
threads-text-too-long = the text has { $count } characters; the limit is { $max }
threads-text-nul = the text cannot contain NUL characters
threads-comment-empty = the comment is empty
threads-comment-too-long = a comment has at most { $max } characters
threads-comment-nul = the comment cannot contain NUL characters
# $size: exactly (the HTML has $kb KB) or at-least (rendering stopped at $kb KB).
markdown-too-large = this text renders to { $size ->
        [at-least] more than { $kb } KB
       *[exactly] { $kb } KB
    } of HTML; the limit is { $limit } KB. Split very large tables or lists, or shorten it

## Threads and posts.

threads-thread-not-found = thread not found
threads-post-not-found = post not found
threads-account-suspended = your account is suspended
threads-closed = this thread is closed
threads-closed-no-answers = this thread is closed and takes no new answers
threads-closed-ask-new = this thread is closed: ask a new question instead
threads-internal-staff-only = only staff can write internal notes
threads-followup-asker-only = only the asker can add a follow-up; answer or comment instead
threads-edit-not-allowed = only the author, staff and moderators can edit this post
threads-vote-value = a vote is 1 (up), -1 (down) or 0 (take back)
threads-vote-kinds = only questions and answers take votes
threads-vote-own-post = you cannot vote on your own post
threads-accept-answers-only = only an answer can be accepted
threads-accept-not-allowed = only the asker, staff and moderators can accept an answer
threads-close-not-allowed = only staff and moderators can close or reopen threads
threads-close-action = action is close or reopen
threads-duplicate-ref = name the duplicated thread by its number or its link
# $id: the thread number given.
threads-duplicate-unknown = there is no thread { $id } to point to
threads-duplicate-self = a thread cannot be a duplicate of itself or of its own duplicate

## Lists and pages.

# $status, $sort, $tab: what was asked for (not one of ours).
threads-unknown-status = unknown status "{ $status }": use open, answered, solved or closed
threads-unknown-sort = unknown sort "{ $sort }": use activity, newest or votes
threads-unknown-tab = unknown tab "{ $tab }": use recent, unanswered or solved
threads-page-range = page must be between 1 and { $max }
threads-page-starts-at-one = page starts at 1
threads-per-page-range = per_page is between 1 and { $max }
threads-no-such-page = there is no page { $page } of this thread: its answers fill { $pages ->
        [one] one page
       *[other] { $pages } pages
    }

## Search.

search-error-too-long = a search has at most { $max } characters
search-error-control-characters = a search cannot contain control characters
search-error-type = type is thread or article
search-error-status = status is open, unanswered, answered, solved or closed
search-error-staff = staff is true or false
search-error-limit = limit is between 1 and { $max }
search-error-offset = offset is at most { $max }
search-error-page = page is between 1 and { $max }
search-error-days = days is between 1 and { $max }
search-error-result-not-found = result not found
search-error-rebuilding = Search is not available right now: the search index is being rebuilt. Please try again in a few minutes.

## Any form or file.

http-cross-site-form = this form was sent from another site; go back to the page and send it from there
http-file-not-found = file not found
threads-locked = this thread is locked ({ $reason }) and takes no new posts
threads-lock-not-allowed = only staff and moderators can lock threads
threads-lock-reason = say why the thread is locked: the reason is shown on it
threads-lock-action = action is lock or unlock
threads-move-not-allowed = only staff and moderators can move threads
threads-pin-not-allowed = only staff and moderators can pin threads
threads-pin-action = action is pin or unpin
