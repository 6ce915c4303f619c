## The audit log (admins).

title-audit = Audit log
admin-audit-link = Audit log: who did what
audit-intro = Every moderation, staff and admin action, newest first. Entries are never changed or removed.
audit-actor = Who
audit-action-label = Action
audit-object = Object
audit-object-id = Object id
audit-from = From
audit-until = Until
audit-any = Any
audit-filter = Filter
audit-when = When
audit-reason = Reason or note
audit-change = Before → after
audit-system = the system
audit-none = Nothing matches these filters.
audit-pages = Pages of the audit log
audit-action = { $action ->
        [thread_made_private] Made private
        [publish_offered] Offered to publish
        [thread_published] Published by the asker
        [user_role_changed] Role changed
        [user_suspended] Suspension changed
        [token_created] API token created
        [thread_closed] Thread closed
        [thread_reopened] Thread reopened
        [thread_moved] Thread moved
        [thread_locked] Thread locked
        [thread_unlocked] Thread unlocked
        [thread_pinned] Thread pinned
        [thread_unpinned] Thread unpinned
        [thread_assigned] Thread assigned
        [thread_unassigned] Thread unassigned
        [post_edited] Someone else’s post edited
        [article_status_changed] Article status changed
        [article_published] Article published
        [setting_changed] Setting changed
        [category_changed] Category changed
        [post_hidden] Post hidden
        [post_deleted] Post deleted
        [post_restored] Post restored
        [post_approved] Post approved
        [flag_resolved] Flag resolved
        [thread_merged] Thread merged
        [thread_unlisted] Thread unlisted
        [thread_relisted] Thread listed again
        [user_silenced] Silence changed
        [edit_approved] Held edit approved
        [edit_rejected] Held edit rejected
        [trust_level_changed] Trust level set
       *[other] { $action }
    }
audit-object-kind = { $kind ->
        [user] User
        [thread] Thread
        [post] Post
        [article] Article
        [category] Category
        [group] Staff group
        [setting] Setting
        [token] API token
        [comment] Comment
        [flag] Flag
       *[other] { $kind }
    }
audit-unknown-action = unknown action “{ $action }”
audit-bad-date = { $field }: “{ $value }” is not a date (YYYY-MM-DD)
audit-bad-number = { $field }: “{ $value }” is not a number
