## Notifications: the bell, the notifications page, watching, email preferences, emails.

title-notifications = Notifications
title-notification-preferences = Notification settings
title-unsubscribe = Unsubscribe

bell-title = Notifications

notify-unread-count = { $count ->
        [0] Nothing unread.
        [one] 1 unread notification.
       *[other] { $count } unread notifications.
    }
notify-filter-label = Show
notify-show-all = Show all
notify-show-unread = Show unread only
notify-preferences-link = Email settings
notify-mark-all-read = Mark all as read
notify-mark-read = Mark as read
notify-mark-thread-read = Mark this thread as read
notify-none = No notifications yet. When someone answers your question or replies to you, you’ll see it here.
notify-none-unread = You’re all caught up.
notify-unread-mark = Unread:
notify-pages-label = Pages of notifications
notify-summary = { $kind ->
        [answer] { $count ->
            [one] 1 new answer
           *[other] { $count } new answers
        }
        [comment] { $count ->
            [one] 1 new comment
           *[other] { $count } new comments
        }
        [mention] { $count ->
            [one] 1 mention
           *[other] { $count } mentions
        }
        [watched_post] { $count ->
            [one] 1 new post
           *[other] { $count } new posts
        }
        [new_question] new question
        [customer_followup] { $count ->
            [one] 1 follow-up from the customer
           *[other] { $count } follow-ups from the customer
        }
        [badge] { $count ->
            [one] 1 new badge
           *[other] { $count } new badges
        }
       *[other] { $count ->
            [one] 1 update
           *[other] { $count } updates
        }
    }

# One notification. $who: who did it; $title: the thread.
notify-answer = { $who } answered your question “{ $title }”
notify-comment = { $who } commented on your post in “{ $title }”
notify-mention = { $who } mentioned you in “{ $title }”
notify-accepted = { $who } accepted your answer in “{ $title }”
notify-referred = Your question “{ $title }” was passed to { $to }, who will take it from here
notify-promise-made = { $who } promised to follow up on “{ $title }” by { $due }
notify-promise-kept = { $who } followed up on “{ $title }” as promised
notify-closed = { $duplicate ->
        [yes] { $who } closed “{ $title }” as a duplicate of another question
       *[no] { $who } closed your question “{ $title }”
    }
notify-reopened = { $who } reopened your question “{ $title }”
notify-promoted = Your question “{ $title }” is now a knowledge-base article
notify-article-from-answer = Your answer in “{ $title }” is now a knowledge-base article
notify-watched-post = { $who } posted in “{ $title }”
notify-new-question = { $who } asked “{ $title }”
notify-assigned = { $who } assigned “{ $title }” to you or your team
notify-customer-followup = { $who } followed up on “{ $title }”
notify-promise-due = Your promise on “{ $title }” is due at { $due }
notify-promise-overdue = Your promise on “{ $title }” is overdue (it was due at { $due })
# Moderators' decisions: the moderator is not named. $what: question, answer, followup,
# comment, post or edit; $action: hidden, deleted, restored, approved or rejected; $by:
# moderator, or flags (hidden at once by members' flags, before anyone reviewed it).
notify-moderated = Your { $what ->
        [question] question
        [answer] answer
        [followup] follow-up
        [comment] comment
        [edit] edit
       *[post] post
    } in “{ $title }” { $action ->
        [hidden] { $by ->
            [flags] is hidden for now: members flagged it, and a moderator will review it
           *[moderator] was hidden by a moderator
        }
        [deleted] was deleted by a moderator
        [restored] was restored by a moderator, and everyone can see it again
        [approved] { $what ->
            [edit] was approved by a moderator, and it’s live now
           *[other] was approved by a moderator, and it’s public now
        }
       *[rejected] was declined by a moderator
    }
# $outcome: agreed or dismissed; $target: post, comment or feedback (on an article: no $title).
notify-flag-outcome = { $outcome ->
        [agreed] A moderator agreed with your flag on { $target ->
            [comment] a comment in “{ $title }”
            [feedback] feedback on an article
           *[post] a post in “{ $title }”
        } — thanks for helping
       *[dismissed] A moderator looked at your flag on { $target ->
            [comment] a comment in “{ $title }”
            [feedback] feedback on an article
           *[post] a post in “{ $title }”
        } and left it as it is
    }
notify-silenced = { $lifted ->
        [yes] You can post again: a moderator lifted your silence
       *[no] A moderator silenced you until { $until }: you can still read, but not post
    }
# $duplicate: the title of the asker's question; $title: the thread it was merged into.
notify-merged = Your question “{ $duplicate }” was merged into “{ $title }” by a moderator: { $answers ->
        [0] the conversation continues there
        [one] its answer moved there too
       *[other] its { $answers } answers moved there too
    }
# A badge earned. $badge: the badge id (its name is `badge-name`, in peers.ftl); $tier:
# bronze, silver or gold.
notify-badge = You earned the { $tier ->
        [gold] gold
        [silver] silver
       *[bronze] bronze
    } badge “{ badge-name }” — congratulations!

# The kinds, as the settings page lists them.
notify-kind-answer = Answers to my questions
notify-kind-comment = Comments on my posts
notify-kind-mention = Mentions of me (@name)
notify-kind-accepted = My answer accepted
notify-kind-referred = My question passed to a staff member
notify-kind-promise-made = A promise to follow up on my question
notify-kind-promise-kept = A promise on my question kept
notify-kind-closed = My question closed
notify-kind-reopened = My question reopened
notify-kind-promoted = My question made a knowledge-base article
notify-kind-article-from-answer = My answer made a knowledge-base article
notify-kind-watched-post = New posts in threads, categories and tags I watch
notify-kind-new-question = New questions in categories and tags I watch
notify-kind-assigned = Threads assigned to me or my team (staff)
notify-kind-customer-followup = Customer follow-ups on threads I answered or own (staff)
notify-kind-promise-due = My promise due within the hour (staff)
notify-kind-promise-overdue = My promise overdue (staff)
notify-kind-moderated = Moderators’ decisions on my posts and edits
notify-kind-flag-outcome = What became of my flags
notify-kind-silenced = My account silenced, or allowed to post again
notify-kind-merged = My question merged into another
notify-kind-badge = Badges I earn

notify-preferences-saved = Your notification settings are saved.
notify-email-off = This site sends no email yet: you’ll find everything under the bell.
notify-preferences-caption = How we email you about each kind of notification. You always see them under the bell.
notify-preferences-kind = Notification
notify-delivery = { $delivery ->
        [instant] At once
        [daily] Daily digest
        [weekly] Weekly digest
       *[never] Never
    }
notify-digest-hour-label = Send digests at (your time)
notify-digest-hour = { $hour }:00
notify-watched-heading = Categories and tags you watch
notify-watched-none = You don’t watch any category or tag. Use “Watch” on a category or tag page to hear about new questions there.
notify-topic-level = { $level ->
        [watching] Every post
        [first_post] New questions only
       *[none] Not watching
    }

watch-label = Notifications for this thread
watch-level = { $level ->
        [watching] Watching
        [muted] Muted
       *[normal] Normal
    }
watch-help = { $level ->
        [watching] You’ll hear about every new post.
        [muted] You won’t hear about this thread at all.
       *[normal] You’ll hear only about what concerns you: answers to your question, replies to you, mentions.
    }
watch-save = Save
watch-topic-label = Watch

live-new = { $kind ->
        [comment] { $count ->
            [one] 1 new comment
           *[other] { $count } new comments
        }
       *[answer] { $count ->
            [one] 1 new answer
           *[other] { $count } new answers
        }
    }
live-show = show

unsubscribe-what-digest = the daily and weekly digests
unsubscribe-what-all = all notification emails
unsubscribe-confirm = Stop emails about { $what }?
unsubscribe-button = Unsubscribe
unsubscribe-done = Done: you’ll get no more emails about { $what }.
unsubscribe-change-later = Change your email settings

email-open-link = Open it
email-moderator-wrote = The moderator wrote:
email-badge-thanks = Thank you for helping people here.
email-badge-link = See the badge
email-footer-why = You get this email because you have an account on { $site }.
email-footer-preferences = Email settings
email-footer-unsubscribe = Unsubscribe from these emails
email-digest-daily-subject = Your daily summary from { $site }
email-digest-weekly-subject = Your weekly summary from { $site }
email-digest-intro = { $period ->
        [weekly] Hello { $name }, here is what happened this week.
       *[daily] Hello { $name }, here is what happened since yesterday.
    }
email-digest-notifications = For you
email-digest-solved = Newly solved in what you watch
email-digest-articles = New articles in what you watch

admin-mail-heading = Email
admin-mail-off = No SMTP server is set (`[email] smtp_host`): nothing is emailed.
admin-mail-counts = Waiting: { $pending } · sent: { $sent } · not needed (read first): { $dropped } · given up: { $failed }
admin-mail-failures = Emails given up, newest first
admin-mail-to = To
admin-mail-kind = Kind
admin-mail-attempts = Attempts
admin-mail-reason = Last error
admin-mail-when = Given up

notify-publish-offered = { $who } offered to publish your private question “{ $title }”: you decide
notify-staff-requested = { $who } asked for a person on “{ $title }”
notify-kind-publish-offered = Offers to publish my private questions
notify-kind-staff-requested = Customers asking for a person on threads I answered or own (staff)
