## Categories, tags, shared text fields and the threads API's parameters.

catalog-category-name-empty = a category name has 1 to 80 characters
catalog-category-slug-empty = the category needs a slug with letters or digits
catalog-category-not-found = category not found
catalog-unknown-category = unknown category "{ $category }"
catalog-category-slug-taken = a category with slug "{ $slug }" exists
catalog-category-has-threads = { $count ->
        [one] the category still has 1 thread
       *[other] the category still has { $count } threads
    }
catalog-last-category = the last category cannot be deleted
catalog-tag-length = tag "{ $tag }": a tag has 1 to 32 characters
catalog-tag-needs-letter = tag "{ $tag }": a tag needs a letter or a digit
catalog-tag-characters = tag "{ $tag }": use letters, digits, - . + #
catalog-too-many-tags = a question has at most 5 tags
catalog-tag-not-found = tag not found

# A category's business hours (what the admin typed was refused). The format:
# "Europe/Berlin; mon-fri 09:00-17:00; sat 10:00-14:00; holidays 2026-12-24, 2026-12-25".
hours-too-long = business hours: at most { $max } characters
hours-unknown-zone = business hours: start with a time zone such as Europe/Berlin or UTC, not “{ $zone }”
hours-bad-day = business hours: “{ $day }” is not a day; write mon, tue, wed, thu, fri, sat, sun or a range like mon-fri
hours-bad-time = business hours: “{ $time }” is not a time range like 09:00-17:00
hours-end-before-start = business hours: { $range } ends before it starts (split hours past midnight into two days)
hours-overlapping = business hours: the hours on { $day } overlap
hours-bad-holiday = business hours: holiday “{ $date }” is not a date like 2026-12-24
hours-no-open-hours = business hours: give at least one day with open hours, like mon-fri 09:00-17:00
hours-target-too-long = the first-response target does not fit into { $days } days of these business hours

# Text fields: $field is the field's key (input.rs), $max a number of characters.
input-too-long = { $field ->
        [name] a name
        [title] a title
        [bio] the bio
        [token-name] a token name
        [category-name] a category name
        [category-description] a category description
        [tag-description] a tag description
        [edit-summary] the edit summary
        [section-name] the section name
        [versions-list] the versions list
        [comment] the comment
        [group-name] a group name
        [group-description] a group description
        [note] the note
        [promise] the promise
        [version] the version
        [platform] the platform
        [environment-notes] the environment notes
        [lock-reason] the lock reason
        [moderation-reason] the reason
        [flag-note] the flag’s note
        [watched-word] a watched word
        [site-name] the site name
        [company-name] the company name
        [logo-url] the logo address
        [intro] the intro
        [contact-url] the contact address
        [footer-links] the footer links
        [link-label] a link label
        [request-reason] the reason
       *[other] { $field }
    } has at most { $max } characters
input-control-characters = { $field ->
        [name] a name
        [title] a title
        [bio] the bio
        [token-name] a token name
        [category-name] a category name
        [category-description] a category description
        [tag-description] a tag description
        [edit-summary] the edit summary
        [section-name] the section name
        [versions-list] the versions list
        [comment] the comment
        [group-name] a group name
        [group-description] a group description
        [note] the note
        [promise] the promise
        [version] the version
        [platform] the platform
        [environment-notes] the environment notes
        [lock-reason] the lock reason
        [moderation-reason] the reason
        [flag-note] the flag’s note
        [watched-word] a watched word
        [site-name] the site name
        [company-name] the company name
        [logo-url] the logo address
        [intro] the intro
        [contact-url] the contact address
        [footer-links] the footer links
        [link-label] a link label
        [request-reason] the reason
       *[other] { $field }
    } cannot contain control characters

## The threads API (/api/v1).

api-per-page-range = per_page is between 1 and 100
api-unknown-tag = unknown tag "{ $tag }"
api-category-type = category is a slug or an id
api-no-such-endpoint = no such API endpoint
