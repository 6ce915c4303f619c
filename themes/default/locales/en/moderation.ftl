## Moderation: flags, the review queue, held posts, watched words, posting limits.

title-review = Review queue
title-my-flags = My flags
title-watched-words = Watched words
nav-review = Review
nav-review-count = { $count ->
        [one] 1 item waits for review
       *[other] { $count } items wait for review
    }
admin-watched-words-link = Watched words

# Why a post is held or hidden, as its author reads it.
screen-held-new-user-links = New accounts’ posts with links wait for a moderator’s approval.
screen-held-too-many-links = Posts with this many links wait for a moderator’s approval.
screen-held-watched-word = It contains a word the moderators check first.
screen-hidden-by-flags = Members flagged it; it is hidden until a moderator reviews it.
screen-resubmitted = You edited it; it waits for a moderator’s review.

# Posting limits: $wait is a duration.
screen-too-many-questions = You are asking very quickly. Please wait { $wait } before asking again.
screen-too-many-answers = You are answering very quickly. Please wait { $wait } before posting again.
screen-too-many-comments = You are commenting very quickly. Please wait { $wait } before commenting again.
screen-too-many-votes = You are voting very quickly. Please wait { $wait } before voting again.
screen-too-many-flags = You are flagging very quickly. Please wait { $wait } before flagging again.
screen-blocked-word = “{ $word }” is not allowed here; please rephrase.
screen-unknown-word-action = unknown action “{ $action }” (block, hold or flag)
screen-word-empty = enter a word or a pattern
screen-word-bad-pattern = this pattern does not work: { $error }
screen-word-exists = “{ $word }” is watched already
screen-too-many-words = at most { $max } watched words
screen-word-not-found = watched word not found
screen-words-admins-only = only admins change the watched words

threads-unknown-state = unknown state “{ $state }”
threads-merged-into = this thread was merged into thread { $id }
threads-account-silenced = Your account may read but not post for now. A moderator will lift this in time.
threads-moderate-not-allowed = only moderators, staff and admins can do this
threads-moderate-internal = internal notes cannot be moderated
threads-already-in-state = it is { $state ->
        [visible] visible
        [held] waiting for approval
        [hidden] hidden
       *[deleted] deleted
    } already
threads-merge-self = a thread cannot be merged into itself
threads-merge-unknown = there is no thread “{ $id }” to merge into
threads-merge-target-merged = thread { $id } was itself merged into another: merge into that one
threads-duplicate-text = You posted the same text a moment ago. Posting it again within { $minutes } minutes is not possible.
threads-edit-deleted = a deleted post cannot be edited
threads-accept-not-visible = only a visible answer can be accepted

flags-unknown-reason = unknown reason “{ $reason }”
flags-unknown-target = “{ $target }” cannot be flagged
flags-other-needs-text = say in a few words what is wrong
flags-own-post = you cannot flag what you wrote
flags-duplicate-needs-thread = name the thread it duplicates
flags-duplicate-unknown = there is no thread “{ $id }”
flags-duplicate-self = a thread cannot duplicate itself
flags-already-flagged = you flagged this already; a moderator will look at it
flags-held-edit-not-found = that edit is no longer waiting

review-not-allowed = only moderators, staff and admins review
review-unknown-action = unknown action “{ $action }”
review-deleted-restore-first = it is deleted: restore it first
review-feedback-not-found = that feedback is gone
review-days-range = a number of days from 1 to { $max }, 0 to lift it
review-not-yourself = you cannot restrict your own account
review-team-admins-only = only admins can restrict staff, moderators and admins
review-silence-not-forever = silence for a number of days; suspend to keep someone out for good

## Posts as their authors and moderators see them.
post-state-note = { $state ->
        [held] Waiting for approval: { $reason }
        [flagged] Hidden for now: { $reason }
        [hidden] Hidden by a moderator: { $reason }
       *[deleted] Deleted by a moderator: { $reason }
    }
post-resubmit = Edit it to resubmit it for review.
post-edit-pending = Your latest edit waits for a moderator’s approval.

## Flagging.
flag-open = Flag
flag-why = What is wrong?
flag-reason = { $reason ->
        [spam] Spam
        [rude] Rude or abusive
        [off_topic] Off-topic
        [duplicate] A duplicate
        [needs_staff] Needs a staff member
        [watched_word] A watched word
       *[other] Something else
    }
flag-duplicate-of = Duplicate of (thread number or link)
flag-note = Anything moderators should know
flag-submit = Send flag

## Thread actions.
thread-merge-label = Merge into thread
thread-merge = Merge
thread-unlist = Unlist
thread-relist = List again
thread-state-notice = { $state ->
        [held] This question waits for a moderator’s approval; only you and the moderators see it.
        [hidden] This question is hidden by a moderator; only its asker and the moderators see it.
        [deleted] This question was deleted; only its asker and the moderators see it.
        [unlisted] This thread is unlisted: it is not in any list or search, and only its asker and the moderators can open it.
       *[other] This thread is not public.
    }

## The review queue (review.html).
review-counts = { $flagged ->
        [one] 1 flagged item
       *[other] { $flagged } flagged items
    }, { $held ->
        [one] 1 waiting for approval
       *[other] { $held } waiting for approval
    }. Oldest first.
review-filter-reason = Reason
review-filter-category = Category
review-any = Any
review-filter = Filter
review-kind = { $kind ->
        [flagged] Flagged
        [held] Waiting for approval
       *[held_edit] Edit waiting for approval
    }
review-target = { $target ->
        [post] { $kind ->
            [question] Question
            [answer] Answer
            [followup] Follow-up
           *[other] Post
        }
        [comment] Comment
        [feedback] Article feedback
       *[edit] Edit
    }
review-by = by
review-author-restricted = silenced or suspended
review-waiting-since = waiting since { $when }
review-state = { $state ->
        [held] waiting for approval
        [hidden] hidden
        [deleted] deleted
       *[visible] visible
    }
review-flagged-automatically = Flagged automatically
review-duplicate-of = duplicate of thread { $id }
review-proposed-edit = Proposed edit
review-reason-label = Reason (shown to the author)
review-action = { $action ->
        [approve] Approve
        [dismiss] Dismiss flags
        [hide] Hide
        [restore] Restore
        [reject] Reject
       *[delete] Delete
    }
review-edit = Edit the post
review-thread-actions = Thread actions (lock, move, merge)
review-silence-days = Silence the author for
review-suspend-days = Suspend the author for
review-days = { $count ->
        [one] 1 day
       *[other] { $count } days
    }
review-forever = for good
review-silence = Silence
review-suspend = Suspend
review-empty = Nothing waits for review. Well done.
review-pages = Pages of the review queue

## My flags (my_flags.html).
my-flags-intro = What you flagged and what the moderators decided.
my-flags-when = When
my-flags-what = What
my-flags-reason = Why
my-flags-outcome = Outcome
my-flags-status = { $status ->
        [agreed] A moderator agreed and acted
        [dismissed] A moderator declined it
       *[open] Waiting for a moderator
    }
my-flags-none = You have not flagged anything.

## Watched words (admins).
words-intro = Posts with these words are refused, held for approval, or published and flagged. Words match whole words in any case; * stands for any letters. Staff and moderators are never checked.
words-pattern = Word or pattern
words-regex = It is a regular expression
words-action-label = What happens
words-action = { $action ->
        [block] Refuse the post
        [hold] Hold it for approval
       *[flag] Publish it and flag it
    }
words-add = Add
words-added = Added
words-remove = Remove
words-is-regex = pattern
words-none = No watched words yet.

## Sign-up protection.
accounts-signup-too-fast = That was very fast. Please check the form and send it again.

# A group of notifications about no thread (a silence, a flag on article feedback).
notify-group-account = Your account

## Closing with a reason.
thread-close-reason-label = Why
thread-close-reason-none = (no reason)
thread-close-reason = { $reason ->
        [off_topic] Off-topic
        [duplicate] A duplicate
        [resolved_elsewhere] Resolved elsewhere
        [not_reproducible] Cannot be reproduced
       *[other] Another reason
    }
thread-closed-because = Closed by a moderator: { $reason ->
        [off_topic] off-topic here.
        [duplicate] a duplicate of another question.
        [resolved_elsewhere] resolved elsewhere.
        [not_reproducible] the problem cannot be reproduced.
       *[other] see the thread for why.
    }
threads-unknown-close-reason = unknown reason “{ $reason }” (off_topic, duplicate, resolved_elsewhere, not_reproducible, other)

## A member's profile, for moderators.
user-moderate-heading = Moderation
user-moderate-lift = lift it

# Beside a thread: solved threads and articles on the same matter.
thread-related-heading = Related questions
# Moderators only: threads that may ask the same thing, with a button to merge.
thread-duplicates-heading = Possible duplicates
thread-duplicates-help = These threads read almost the same. Merging moves this thread's posts into the one you pick.
thread-merge-into-this = Merge this thread into it
