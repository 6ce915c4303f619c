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

user-reputation-heading = Reputation: { $count }
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
        [recommended_by_staff] answer recommended by staff
       *[other] { $kind }
    }
card-reputation = { $count } reputation
card-profile = Profile
rep-label = reputation

## Badges.
badge-name = { $badge ->
        [first_question] First question
        [first_answer] First answer
        [first_accepted] Problem solved
        [accepted_10] Helper
        [accepted_50] Trusted helper
        [accepted_250] Support hero
        [good_answer] Good answer
        [great_answer] Great answer
        [famous_answer] Famous answer
        [good_question] Good question
        [quick_responder] Quick responder
        [welcomer] Welcomer
        [knowledge_author] Knowledge author
        [editor] Editor
        [first_flag_agreed] Watchful
        [streak_7] Regular
        [streak_30] Devoted
        [customer_corps] Customer corps
        [supporter] Supporter
        [critic] Critic
        [commentator] Commentator
        [reputation_100] Known
        [reputation_1000] Respected
        [reputation_10000] Renowned
       *[trusted] Trusted
    }
badge-description = { $badge ->
        [first_question] Asked a first question.
        [first_answer] Answered a question for the first time.
        [first_accepted] A first answer accepted by the asker.
        [accepted_10] 10 answers accepted.
        [accepted_50] 50 answers accepted.
        [accepted_250] 250 answers accepted.
        [good_answer] An answer with a score of 5 or more.
        [great_answer] An answer with a score of 10 or more.
        [famous_answer] An answer with a score of 25 or more.
        [good_question] A question with a score of 5 or more.
        [quick_responder] First to respond, within the category’s response target.
        [welcomer] First to answer a new member’s first question.
        [knowledge_author] An answer became a knowledge-base article.
        [editor] Improved someone else’s post.
        [first_flag_agreed] A first flag a moderator agreed with.
        [streak_7] Visited 7 days in a row.
        [streak_30] Visited 30 days in a row.
        [customer_corps] Peer answers accepted in 3 categories.
        [supporter] Voted something up for the first time.
        [critic] Voted something down for the first time.
        [commentator] Wrote 10 comments.
        [reputation_100] Reached 100 reputation.
        [reputation_1000] Reached 1,000 reputation.
        [reputation_10000] Reached 10,000 reputation.
       *[trusted] Reached trust level 3.
    }

badge-tier = { $tier ->
        [gold] Gold
        [silver] Silver
       *[bronze] Bronze
    }
title-badges = Badges
badges-intro = Badges thank people for what helps customers. Bronze, silver and gold; some can be earned again and again.
badges-held-by = { $count ->
        [one] 1 person
       *[other] { $count } people
    }
badges-holders = Who has it
badges-none-yet = Nobody has this badge yet.
badges-again = Can be earned more than once.
user-badges = Badges
user-no-badges = No badges yet.
badge-times = × { $count }
card-badges = { $gold } gold · { $silver } silver · { $bronze } bronze
peers-badge-not-found = badge not found

## Recommended by staff.
post-recommended-badge = Recommended by staff
post-recommended-by = by { $name }
post-recommend = Recommend
post-unrecommend = Take back the recommendation
support-tl-recommended = An answer recommended by { $person }
threads-recommend-staff-only = only staff recommend answers
threads-recommend-answers-only = only a visible answer can be recommended
threads-recommend-peers-only = staff recommend peers’ answers, not staff answers

## Leaderboards.
title-people = Top helpers
people-intro = Who helped most: accepted answers first, then reputation earned. Peers and staff are listed apart.
people-periods = Periods
people-period = { $period ->
        [week] This week
        [month] This month
       *[all] All time
    }
people-whole-site = The whole site
leaders-week-heading = Top helpers this week
leaders-peers = Customers helping customers
leaders-staff = Staff
leaders-none = Nobody yet — answer a question to be the first.
leaders-line = { $accepted ->
        [one] 1 accepted answer
       *[other] { $accepted } accepted answers
    }, { $reputation } reputation
leaders-more = All top helpers
peers-unknown-period = unknown period “{ $period }” (week, month or all)
nav-people = Top helpers
