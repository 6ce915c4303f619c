## Peer help: reputation and trust levels.

screen-needs-trust-level = { $privilege ->
        [vote_up] Voting up
        [vote_down] Voting down
        [flag] Flagging
        [comment_anywhere] Commenting on others’ posts
        [edit_others] Editing others’ posts
        [retag] Changing others’ tags
        [move_threads] Moving threads
        [flag_hide] Hiding with a flag
        [close] Closing threads
        [merge] Merging threads
        [lock] Locking threads
       *[other] This
    } opens up at trust level { $level } (you are at level { $current }). Your account page shows what the next level needs.
peers-trust-not-allowed = only moderators, staff and admins set trust levels
peers-trust-range = a trust level is 0, 1, 2, 3 or 4
peers-trust-four-staff = only staff and admins grant trust level 4

trust-heading = Trust level
trust-level-badge = { $level ->
        [0] Level 0 · new
        [1] Level 1 · basic
        [2] Level 2 · member
        [3] Level 3 · regular
       *[4] Level 4 · leader
    }
trust-your-level = You are at trust level { $level }.
trust-locked = A moderator set it; it does not change by itself.
trust-next = Level { $level } needs:
trust-need = { $what ->
        [days_visited] { $need } days visiting
        [threads_read] { $need } threads read
        [answers] { $need } answers
        [accepted] { $need } accepted answers
       *[flags_agreed] { $need } flags agreed with
    }
trust-explain = Each level opens up more: level 1 voting up, flagging and links; level 2 voting down, commenting anywhere and posting more; level 3 editing and retagging others’ posts, moving threads, and flags that hide at once; level 4, given by staff, closing, merging and locking threads.
trust-set-label = Trust level
trust-lock = keep it (do not change it automatically)
trust-set = Set

user-reputation-heading = Reputation: { NUMBER($count) }
user-reputation-chart = Reputation earned per day over the last year
user-no-reputation = No reputation changes yet.
reputation-see-post = the post
reputation-kind = { $kind ->
        [answer_upvoted] answer voted up
        [question_upvoted] question voted up
        [downvoted] voted down
        [answer_accepted] answer accepted
        [accepted_an_answer] accepted an answer
        [article_from_answer] answer became an article
        [flag_agreed] flag agreed with
        [deleted_as_spam] post deleted as spam
       *[other] { $kind }
    }
card-reputation = { NUMBER($count) } reputation
card-profile = Profile
rep-label = reputation
