## The support desk: the timeline beside a thread, the staff panel and customer context, the
## staff queue with its metrics, and what the desk refuses (API clients read those in English).

## The timeline (one entry each; names are the people's own).

support-timeline = Timeline
support-tl-asked = Asked by { $name }
# $after: how long it took; $by: staff or community.
support-tl-first-response = First response after { $after }, by { $person } ({ $by ->
        [staff] staff
       *[community] the community
    })
support-tl-followup = Follow-up from { $name }
support-tl-answered = Answered by { $person }
support-tl-earlier-answers = { $count ->
        [one] 1 earlier answer
       *[other] { $count } earlier answers
    }
support-tl-accepted = Answer accepted by { $name }
support-tl-closed = Closed by { $person }
support-tl-reopened = Reopened by { $person }
support-tl-looking-into = { $person } is looking into this
support-tl-looking-into-group = { $person } is looking into this ({ $group } team)
support-tl-referred-person = Referred to { $person } by { $by }
support-tl-referred-person-group = Referred to { $person } ({ $group } team) by { $by }
support-tl-referred-group = Referred to the { $group } team by { $by }
support-tl-unassigned = Unassigned by { $name }
# Followed by support-tl-due on the page.
support-tl-promised = { $person } will follow up
# $due: the promised time.
support-tl-due = by { $due }
# $timing: on-time or late.
support-tl-followed-up = { $name } followed up as promised ({ $timing ->
        [on-time] on time
       *[late] late
    })
support-tl-followed-up-for = { $keeper } followed up on { $name }'s promise ({ $timing ->
        [on-time] on time
       *[late] late
    })
support-tl-promoted = Promoted to the knowledge base: { $title }
# A promise's state.
support-promise-state = { $state ->
        [kept] Kept
        [late] Kept late
        [overdue] Overdue
        [due] Due within a day
       *[open] Open
    }
# Someone's own words, quoted.
support-quoted = “{ $text }”
support-staff-only = Staff only
support-new = New

## The staff panel beside a thread.

support-desk = Support desk
# $to: person, group or both; $person and $group are the names.
support-assigned-to = { $to ->
        [both] Assigned to { $person } · the { $group } team
        [group] Assigned to the { $group } team
       *[person] Assigned to { $person }
    }
support-assigned-you = You
support-not-assigned = Not assigned.
support-open-promises = Open promises
support-open-promise = { $name }: by { $due }
support-promise-mark-kept = Mark kept
support-promises-kept-by-reply = Answering or commenting on this thread keeps your own promises.
support-assign-heading = Assign or refer
support-assign-member = Staff member
support-assign-me = (me)
support-assign-group = Group
support-assign-note = Note for them (staff only)
# $again: yes when the thread is assigned already.
support-assign-submit = { $again ->
        [yes] Reassign
       *[no] Assign
    }
support-assign-empty-hint = Both empty takes the assignment back.
support-promise-heading = Promise a follow-up
support-promise-within = I will follow up within
# $unit: hour, day or week.
support-promise-within-option = { $unit ->
        [hour] { $count ->
            [one] 1 hour
           *[other] { $count } hours
        }
        [day] { $count ->
            [one] 1 day
           *[other] { $count } days
        }
       *[week] { $count ->
            [one] 1 week
           *[other] { $count } weeks
        }
    }
support-promise-by = …or by (your local time)
support-promise-note = What you will do (the customer sees this)
support-promise-note-placeholder = Check the firmware logs with the networking team
support-promise-submit = Promise

## The customer context panel (staff only).

support-context-heading = Customer
support-context-member-since = member since { $when }
support-context-setup = Setup
support-context-no-setup = No saved setup.
support-context-other-threads = Other threads
support-context-first-thread = This is their first thread.
support-context-staff-contact = Previous staff contact
# $person: the staff member; $thread: a link to the thread.
support-context-contact = { $person } on { $thread }
support-context-no-staff-contact = No staff contact before.

## The staff queue (/staff).

queue-heading = Support queue
queue-tabs-label = Queues
queue-view = { $view ->
        [requested] Asked for a person
        [unanswered] Unanswered
        [overdue] Past target
        [mine] Assigned to me
        [followups] Follow-ups waiting
       *[promises] My promises
    }
queue-filter-category = Category
queue-filter-all = All
queue-sort-label = Sort
queue-sort = { $sort ->
        [oldest] Waiting longest
        [newest] Newest
       *[activity] Recent activity
    }
queue-filter-show = Show
queue-table-caption = { $view ->
        [requested] Threads whose askers asked for a person
        [unanswered] Unanswered threads
        [overdue] Threads past their target
        [mine] Threads assigned to me
        [followups] Threads with follow-ups waiting
       *[promises] Threads with my promises
    }
queue-col-thread = Thread
queue-col-category = Category
queue-col-asked = Asked
queue-col-first-response = First response
queue-col-assigned = Assigned
queue-col-promise-due = Promise due
queue-asked-by = by { $name }
queue-followup-when = follow-up { $when }
queue-target-badge = { $state ->
        [overdue] Overdue
       *[met] Within target
    }
# $state: overdue (waited $elapsed, target $target), waiting (respond by $due), missed
# (answered after $elapsed), none (the category has no target).
queue-target = { $state ->
        [overdue] { $elapsed } (target { $target })
        [waiting] due by { $due }
        [missed] late ({ $elapsed })
       *[none] no target
    }
queue-pager-label = Pages
queue-pager-previous = Previous
queue-pager-next = Next
queue-empty = Nothing here. Well done.
queue-metrics-heading = How the desk is doing
queue-metrics-caption = Median time to first response, by when the question was asked
queue-metrics-target = Target
queue-metrics-last-days = Last { $days } days
queue-metrics-within-target = Within target ({ $days } days)
queue-metrics-waiting = Waiting
queue-metrics-all = All
queue-within-of = { $within } of { $total }
queue-metrics-peers = First answered by peers ({ $days } days)
queue-peer-share = { $share }% — { $peers } by the community, { $staff } by staff
queue-metrics-promises = Promises kept on time (due in the last { $days } days)
queue-promise-share = { $share }% — { $on_time } on time, { $late } late, { $missed } missed
queue-promises-upcoming = { $count } not due yet

## What the support desk refuses.

support-staff-only-action = only staff can do this
# $target: what was typed.
support-target-invalid = first-response target "{ $target }": write it like 4h, 30m, 2d or 1h30m (at most 30 days)
support-no-group = there is no staff group "{ $group }"
support-group-name = a group name has 1 to 60 characters, with letters or digits
support-group-exists = a group "{ $name }" exists
support-group-not-found = group not found
support-no-user = there is no user "{ $handle }"
support-member-not-staff = { $handle } is not staff: only staff and admins join support groups
support-member-action = action is add or remove
support-admins-only-groups = only admins manage staff groups
support-assign-closed = this thread is closed: reopen it before assigning it
support-assign-not-staff = { $handle } is not active staff: threads go to staff members
support-assign-nobody = name a staff member or a group to assign the thread to
support-promise-past = a follow-up is promised for a later time
support-promise-too-far = promise a follow-up within { $days } days
support-promise-not-found = promise not found
# $due: what was sent.
support-due-format = follow-up time "{ $due }": use a date and time like 2026-11-24T15:00
support-due-range = follow-up time "{ $due }" is out of range
support-due-missing = say when you will follow up
support-offset-number = the time zone offset is a number of minutes
support-offset-range = the time zone offset is out of range
support-unknown-queue = unknown queue "{ $queue }": use unanswered, overdue, mine, followups or promises
support-unknown-sort = unknown sort "{ $sort }": use oldest, newest or activity
support-setup-empty = give a version, a platform or some notes for the product
support-setup-not-found = setup entry not found
support-setup-full = a setup has at most { $max } entries: remove one first
support-setup-unknown-entry = unknown setup entry
support-category-in-setups = { $count ->
        [one] 1 customer setup entry names
       *[other] { $count } customer setup entries name
    } this product; it cannot be deleted
support-setup-saved = Setup saved.
support-setup-removed = Setup entry removed.
