# Concorde — English interface.

## Layout
skip-to-content = Skip to content
nav-label = Main navigation
nav-home = Home
nav-profile = My profile
nav-admin = Administration
nav-logout = Log out
nav-login = Log in
nav-signup = Create an account
lang-switch = Français
lang-name-fr = Français
lang-name-en = English
footer-legal = Legal notice
footer-privacy = Personal data
footer-accessibility = Accessibility: partially compliant
footer-powered = Concorde civic participation platform, free software.
title-error-prefix = Error:
back-home = Back to the home page
error-summary-item = { $label }: { $message }
form-has-errors = The form has errors
save = Save
create = Create
delete = Delete
upload = Upload the file
search = Search
download = Download
older = Older entries
choice-none = Prefer not to say
unit-kb = kB
unit-mb = MB

## Notices
notice-saved = Changes saved.
notice-created = Debate created. Complete it, then publish it.
notice-logged-out = You are logged out.
notice-password-changed = Password changed. You can log in.
notice-confirmed = Address confirmed. You can log in.
notice-uploaded = File saved.
notice-deleted = File deleted.
notice-roles-saved = Roles saved.

## Dates
month-1 = January
month-2 = February
month-3 = March
month-4 = April
month-5 = May
month-6 = June
month-7 = July
month-8 = August
month-9 = September
month-10 = October
month-11 = November
month-12 = December

## Home and debates
home-title = Public debates
home-intro = Have your say on the city's projects: read, contribute, come to the meetings.
home-empty = No debate is published yet.
debate-draft = Draft, not published
debate-current-phase = Now:
debate-participate = Take part
debate-see-next-phase = See the next step
debate-edit = Edit this debate
debate-enter-offline = Type in contributions received on paper
debate-questions = The debate's questions
debate-timeline = Timeline
debate-who = Whom this debate wants to hear
debate-who-all = Everyone may take part; the debate especially seeks to hear:
debate-quartiers = Neighbourhoods concerned
debate-documents = Documents
phase-until = open until { $date }
phase-state-past = Finished
phase-state-current = Ongoing
phase-state-upcoming = Upcoming
phase-kind-survey = Survey
phase-kind-contributions = Contributions
phase-kind-workshops = Neighbourhood workshops
phase-kind-assises = Assises (conference)
phase-kind-report = Final report
phase-kind-call_for_projects = Call for projects
phase-kind-other = Other step
status-draft = Draft
status-published = Published

## Accounts
signup-title = Create an account
signup-intro = An account lets you contribute, comment and register for meetings.
signup-button = Create my account
signup-privacy = We only ask for what is needed.
signup-have-account = Already have an account?
signup-check-mail-title = Check your mailbox
signup-check-mail-text = We sent a confirmation link to
signup-check-mail-hint = The link is valid for 7 days. Check your spam folder too.
confirm-title = Confirm your address
confirm-text = Press the button to confirm your e-mail address.
confirm-button = Confirm my address
token-invalid = This link is no longer valid: it was already used or it has expired.
login-title = Log in
login-button = Log in
login-forgot = Forgot your password?
login-no-account = No account yet?
forgot-title = Forgotten password
forgot-intro = Enter your address: we will send you a link to choose a new password.
forgot-button = Send the link
forgot-sent = If an account exists for this address, a link has just been sent to it. It is valid for one hour.
reset-title = Choose a new password
reset-button = Save the password
profile-title = My profile
profile-email = E-mail address:
profile-roles = Roles:
profile-why = This information is optional. It only shows who took part (by category, neighbourhood, age), never who you are.

field-display-name = Display name
field-email = E-mail address
field-password = Password
field-new-password = New password
field-category = I take part as
field-quartier = My neighbourhood
field-age = My age bracket
field-lang = Interface language
hint-display-name = Shown with your contributions. A first name or a nickname is enough.
hint-password = At least 10 characters. An easy-to-remember sentence works well.
hint-category = To know which groups took part.
hint-quartier = To know which neighbourhoods took part.
hint-age = To check that every generation is heard.
age-under-18 = Under 18
age-18-24 = 18 to 24
age-25-34 = 25 to 34
age-35-49 = 35 to 49
age-50-64 = 50 to 64
age-65-79 = 65 to 79
age-80-plus = 80 and over
role-admin = Administrator
role-moderator = Moderator
role-analyst = Analyst
role-facilitator = Facilitator
role-guarantor = Guarantor
role-jury = Jury member

mail-confirm-subject = Confirm your address
mail-confirm-body = Hello,

    To confirm your address and activate your account, open this link:
    { $link }

    If you did not create an account, ignore this message.
mail-exists-subject = You already have an account
mail-exists-body = Hello,

    Someone (perhaps you) tried to create an account with this address, which already has one.
    If you forgot your password, choose a new one here:
    { $link }
mail-inactive-subject = { $instance }: your account will be deleted in 30 days
mail-inactive-body = Hello,

    You have not signed in to { $instance } for more than { $months } months. Unless you sign in, your account will be deleted in { $days } days: your contributions and comments will stay, signed "Anonymous participant"; your address, profile, supports, follows and registrations will be erased.

    To keep your account, just sign in:
    { $link }

    To delete it yourself now, or withdraw your contributions, sign in and choose "Delete my account" on your profile.
mail-inactive-staff-subject = { $instance }: your account has not been used for a long time
mail-inactive-staff-body = Hello,

    You have not signed in to { $instance } for more than { $months } months. Your account has a role in the team: it will not be deleted automatically. If it is no longer used, ask an administrator to remove its roles, or delete it from your profile:
    { $link }
mail-reset-subject = New password
mail-reset-body = Hello,

    To choose a new password, open this link (valid for one hour):
    { $link }

    If you did not ask for anything, ignore this message: your password stays the same.

## Form errors
error-required = This field is required.
error-too-long = This text is too long.
error-invalid = This value is not valid.
error-email = Enter a valid e-mail address, for example name@example.org.
error-password-short = The password must have at least 10 characters.
error-slug = Use 2 to 60 lower-case letters without accents, digits and hyphens, for example "solidarity-2026".
error-slug-taken = This address is already used by another debate.
error-date = Enter a date and a time.
error-day = Enter a date as yyyy-mm-dd (for example 2026-03-31).
error-invisible-chars = This name holds invisible characters or characters that reverse the text: remove them (copying and pasting sometimes brings them).
error-end-before-start = The end must come after the start.
error-number = Enter a whole number.
error-duplicate = This name already exists.
error-file-missing = Choose a file.
error-file-type = This type of file is not accepted, or its content does not match its extension. Accepted formats: PDF, ODT, ODS, DOCX, XLSX, CSV, TXT, PNG, JPEG, WebP, GIF.
error-image-type = Choose a PNG, JPEG, WebP or GIF image.
error-image-too-large = This image is too large. Make it smaller and try again.
error-file-too-large = This file is too large.
error-login = Wrong address or password.
error-login-throttled = Too many login attempts. Wait 15 minutes or choose a new password.
error-login-unconfirmed = Your address is not confirmed yet. We have just sent you the confirmation link again.
error-login-blocked = This account is blocked. Write to the site's team if you think this is a mistake.
error-last-admin = Not possible: at least one administrator must remain.
error-malformed-form = The form sent is incomplete or unreadable. Reload the page and try again.

## Error pages
error-code = Error code:
error-400-title = Bad request
error-401-title = Login required
error-401-text = Log in to see this page.
error-403-title = Access denied
error-403-text = Your account has no access to this page.
error-404-title = Page not found
error-404-text = This page does not exist or is no longer published.
error-413-title = Upload too large
error-413-text = The file or form sent is larger than allowed.
error-429-title = Too many requests
error-429-text = Wait a few minutes before trying again.
error-rate-limited = { $count ->
    [one] Too many requests in a short time. Your text is kept: try again in a minute.
   *[other] Too many requests in a short time. Your text is kept: try again in { $count } minutes.
}
error-500-title = Server error
error-500-text = An unexpected error occurred. Nothing already saved was lost; try again in a moment.
error-csrf-title = Form expired
error-csrf-text = This form has expired or does not come from this site. Reload the page and send it again.

## Administration
admin-title = Administration
admin-nothing = No area matches your roles yet.
admin-offline = Entering paper contributions
admin-offline-text = Type in contributions received on paper, by post or at a meeting:
admin-offline-none = No published debate yet.
admin-debates = Debates
admin-debates-text = Create, edit and publish debates, their questions, timeline and documents.
admin-people = People and roles
admin-people-text = Grant roles, block an account.
admin-lists = Categories and neighbourhoods
admin-lists-text = The participant categories and neighbourhoods offered in profiles and debates.
admin-audit = Audit log
admin-audit-text = Every important action, with who did it and when. Nothing can be erased from it.
audit-when = Date
audit-who = Who
audit-what = Action
audit-target = Object
audit-detail = Detail
audit-system = System
audit-filter = Filter the log
audit-filter-action-hint = An exact action (role.grant) or a prefix followed by a dot (user.).
audit-filter-who-hint = Part of the name, or the person’s number (#12).
audit-from = From
audit-until = Until (included)
audit-filter-apply = Filter
audit-export = Export these entries (CSV)
audit-none = No entry matches.
editor-new = New debate
editor-title = Debate: { $title }
editor-sections = Parts of the debate
editor-see-public = See the public page
editor-tab-general = General
editor-tab-questions = Questions
editor-tab-phases = Timeline
editor-tab-audience = Groups and neighbourhoods
editor-tab-files = Image and documents
field-title = Title
field-slug = Address (slug)
field-summary = Summary
field-body = Presentation
field-image-alt = Image description
field-status = Status
field-question = Question
field-position = Order
field-phase-kind = Kind of step
field-description = Description
field-start = Start
field-end = End
field-image = Header image
field-doc-title = Document title
field-document = File
hint-slug = Part of the page's address. Leave empty to derive it from the title.
hint-summary = Two or three sentences, shown on the home page.
hint-markdown = Markdown formatting: **bold**, lists with "- ", links [text](https://…).
hint-image-alt = Describe what the image shows, for people who cannot see it. Leave empty if it is decorative.
hint-status = A draft is only visible to the team.
hint-image = PNG, JPEG, WebP or GIF, { $max } MB at most. Suggested size: 1200 × 500 pixels.
hint-document = PDF, ODT, ODS, DOCX, XLSX, CSV or TXT, { $max } MB at most.
questions-help = The questions that guide the debate. Every contribution answers one of them. Fill an empty line to add one.
questions-new = New question
questions-question = Question
phases-help = The steps of the debate. The current step follows the clock. Times in the instance's time zone
phases-new = New step
audience-categories = Participant categories concerned
audience-quartiers = Neighbourhoods concerned
audience-none = The list is empty. Fill it first:
files-image = Header image
files-no-image = No image yet.
files-no-documents = No document yet.
people-search = Search by address or name
people-you = you
people-block = Block the account
person-confirmed = address confirmed
person-unconfirmed = address not confirmed
person-blocked = account blocked
lists-categories = Participant categories
lists-quartiers = Neighbourhoods
lists-name = Name
lists-name-fr = Name (French)
lists-name-en = Name (English)
lists-new-category = New category
lists-new-quartier = New neighbourhood

## Legal pages
legal-title = Legal notice
legal-publisher = Publisher
legal-contact = Contact:
legal-software = Software
legal-software-text = This platform runs Concorde, free civic participation software.
legal-hosting = Hosting
legal-hosting-text = The platform is hosted by the publisher or by the provider it chose; the data stays under its responsibility.
privacy-title = Personal data
privacy-intro = We keep only what the debate needs. Here is what is kept and why.
privacy-what = What we keep
privacy-email = Your e-mail address: to log you in and write to you about your account. It is never shown or exported.
privacy-name = Your display name: it goes with your public contributions. A nickname is fine.
privacy-category = Your participant category (optional): to show which groups took part.
privacy-quartier = Your neighbourhood (optional): to show which neighbourhoods took part.
privacy-age = Your age bracket (optional): to check that every generation is heard. Never your date of birth.
privacy-lang = Your language: to show the site and write to you in it.
privacy-logs = Important actions (account creation, changes by the team, account deletion) are written to a log that the debate's guarantors can read. Each entry is chained to the previous one by a fingerprint (SHA-256), so that an edited or erased entry shows. Once an account is deleted, the log keeps only its number.
privacy-cookies = Cookies
privacy-cookies-text = The site only uses technical cookies: your login session, form protection and your language choice. No audience measurement or advertising cookie.
privacy-rights = Your rights
privacy-rights-text = From your profile you can download at any time a ZIP archive of everything we keep about you (a readable page and a JSON file), correct your profile, change your password (your other sign-ins are then closed) and delete your account: you then choose to keep your contributions, signed “Anonymous participant”, or to withdraw them. For any other request:
privacy-keep = How long
privacy-keep-accounts = An account without a sign-in for { $days } days (about { $months } months) is warned by e-mail; without a sign-in in the { $warning } days that follow, it is deleted: its contributions and comments stay, signed "Anonymous participant", everything else is erased. Accounts with a role in the team are warned but never deleted automatically.
privacy-keep-registrations = Registrations to events made without an account (name, address, phone) are deleted { $days } days after the event ended.
privacy-keep-sessions = A sign-in lasts { $days } days; you can end your sessions from your profile.
privacy-complain = If, after contacting us, you consider that your rights are not respected, you can lodge a complaint with the CNIL (www.cnil.fr).
accessibility-title = Accessibility statement
a11y-intro = The city is committed to making this platform accessible under article 47 of French law 2005-102 of 11 February 2005.
a11y-status = Compliance status
a11y-status-text = This platform is partially compliant with the French accessibility standard (RGAA 4.1), pending a full audit.
a11y-tests = Checks
a11y-tests-text = Every version is tested automatically with axe-core (WCAG 2.1 A and AA rules) in a real browser, and works without JavaScript.
a11y-feedback = Feedback and contact
a11y-feedback-text = If you cannot reach some content or service, write to us and we will offer an accessible alternative:
a11y-recourse = Recourse
a11y-recourse-text = If you do not get a satisfactory answer, you can write to the Défenseur des droits (French rights ombudsman).

## Contributions
notice-published = Your contribution is published. Thank you!
contrib-open-until = Contributions are open until { $date }.
contrib-opens-on = Contributions will open on { $date }.
contrib-closed-on = Contributions closed on { $date }. Thank you all.
contrib-none = This debate does not take written contributions.
contrib-anonymous = Anonymous participant
contrib-list-title = Contributions: { $title }
contrib-list-heading = Contributions
contrib-count = { $count ->
    [0] No contribution matches.
    [one] { $count } contribution
   *[other] { $count } contributions
}
contrib-read-count = { $count ->
    [0] Read the contributions
    [one] Read the contribution
   *[other] Read the { $count } contributions
}
contrib-write = Contribute
card-supports = { $count ->
    [0] no support
    [one] 1 support
   *[other] { $count } supports
}
card-comments = { $count ->
    [0] no comment
    [one] 1 comment
   *[other] { $count } comments
}
contrib-edited-on = Edited by its author on { $date }
contrib-filters-active = filters on
contrib-filters = Filter the contributions
contrib-next-page = Next contributions
contrib-back-to-list = All contributions
contrib-new-title = Contribute: { $title }
contrib-new-heading = Your contribution
contrib-read = Read the contributions
contrib-login-first = To contribute, log in or create an account: it takes a minute.
contrib-confirm-first = First confirm your e-mail address with the link you received.
contrib-publish = Publish my contribution
field-category-short = Category
field-quartier-short = Neighbourhood
field-channel = Channel
field-kind = Kind
field-question-answered = The question you answer
field-contrib-title = Title
field-contrib-body = Your contribution
hint-contrib-title = One sentence that sums up your idea.
hint-contrib-body = { $max } characters at most.
hint-contrib-quartier = The neighbourhood you speak of or live in. Optional.
filter-any = All
filter-any-f = All
filter-apply = Filter
choose = Choose…
kind-individual = Individual
kind-collective = Collective (stakeholder paper)
channel-online = Online
channel-paper = Paper
channel-workshop = Workshop
channel-mediation = Mediation
channel-conference = Conference
contribution-said-at = Said at:
nav-surveys = Surveys
nav-agenda = Agenda
debate-events-upcoming = { $count ->
    [0] none upcoming
    [one] 1 upcoming
   *[other] { $count } upcoming
}
debate-events-attended = { $people ->
    [one] 1 person came
   *[other] { $people } people came
} { $events ->
    [one] to 1 event
   *[other] to { $events } events
}
debate-agenda = Workshops and meetings of this debate
channel-email = E-mail
channel-phone = Phone
channel-import = Import
error-malformed-filter = This filter is not valid. Go back to the list and choose from the menus.
error-question-other-debate = Choose one of this debate's questions.
error-contribution-too-long = Your text is longer than allowed. Shorten it a little.
error-question-has-contributions = This question already has contributions: it cannot be deleted.
offline-title = Type in a contribution: { $title }
offline-heading = Type in a contribution received offline
offline-intro = For contributions received on paper, in a workshop, at a mediation event, by e-mail or by phone. They join the others, with their provenance.
offline-provenance = Provenance
offline-person = The person (if known)
offline-save-next = Save and enter the next one
offline-saved = Contribution saved. The channel, place, date and question are kept for the next one.
offline-saved-link = See the one just entered
offline-save = Save the contribution
field-place = Place
hint-place = For example: Malakoff community centre, ballot box of the town hall annex.
field-received-on = Received on
field-offline-body = Text, as it was written or said
hint-offline-body = Copy faithfully, without correcting the substance.
hint-offline-title = One sentence that sums up the contribution; left empty, the start of the text is used.
hint-if-known = If the person said so.
choice-unknown = Unknown
provenance-received = received on { $date }
provenance-entered-by = typed in by { $name }
error-date-future = This date is in the future.
contrib-feed = Atom feed of new contributions
opendata-title = Open data: { $title }
opendata-heading = Open data
opendata-intro = The published contributions and comments of this debate, free to reuse. Authors appear under a stable pseudonym, the same in both files, never by name or address; what moderation hid and what authors withdrew is left out.
opendata-contributions-heading = Contributions
opendata-contributions-count = { $count ->
    [0] No published contribution yet.
    [one] { $count } published contribution
   *[other] { $count } published contributions
}
opendata-contributions-csv = Download the contributions (CSV, UTF-8)
opendata-contributions-jsonl = Download the contributions (JSON Lines)
opendata-contributions-xlsx = Download the contributions (XLSX, Excel spreadsheet)
opendata-contributions-columns = Columns: id, question_id, question, kind (individual or collective), channel, title, body, author (pseudonym), category, quartier, place, received_at, created_at (dates in UTC).
opendata-comments-heading = Comments
opendata-comments-count = { $count ->
    [0] No published comment yet.
    [one] { $count } published comment
   *[other] { $count } published comments
}
opendata-comments-csv = Download the comments (CSV, UTF-8)
opendata-comments-jsonl = Download the comments (JSON Lines)
opendata-comments-xlsx = Download the comments (XLSX, Excel spreadsheet)
opendata-comments-columns = Columns: id, contribution_id (the contribution commented on), parent_id (the comment it answers, empty otherwise), depth (0 for an answer to the contribution), author (pseudonym), body, created_at (date in UTC).
opendata-events-heading = Events
opendata-events-count = { $count ->
    [0] No event published yet.
    [one] { $count } published event
   *[other] { $count } published events
}
opendata-events-csv = Download the events (CSV, UTF-8)
opendata-events-jsonl = Download the events (JSON Lines)
opendata-events-xlsx = Download the events (XLSX, Excel spreadsheet)
opendata-events-columns = Columns: id, kind (workshop, mediation, conference, round_table, session_workshop), title, quartier, address, starts_at, ends_at (UTC), status, capacity, registered (places taken), waiting (waiting list), present (registered people who came), walk_ins (came without registering), contributions (what was said there). No names.
opendata-attendance-heading = Attendance at events
opendata-attendance-count = { $count ->
    [0] No attendance recorded yet.
    [one] { $count } row
   *[other] { $count } rows
}
opendata-attendance-csv = Download attendance (CSV, UTF-8)
opendata-attendance-jsonl = Download attendance (JSON Lines)
opendata-attendance-xlsx = Download attendance (XLSX, Excel spreadsheet)
opendata-attendance-columns = Columns: event_id, category (participant category, empty when unknown), quartier, people (how many came). Totals only, never a name.
opendata-formats = Formats
opendata-format-csv = Comma-separated text in UTF-8, a header line then one line per item: for a spreadsheet or a program. Dates are in ISO 8601. A cell that would start with =, +, - or @ gets a leading apostrophe so that a spreadsheet does not take it for a formula.
opendata-format-jsonl = One JSON object per line, for programs; a missing value is null and dates are in ISO 8601.
opendata-format-xlsx = A workbook with one sheet, its header row frozen, dates as real dates (UTC); texts stay text, never formulas. An Excel sheet holds at most 1,048,575 rows: beyond that, take the CSV.
opendata-xlsx-too-many = Too many rows for an Excel sheet (1,048,575 at most): download the CSV or the JSON Lines instead.
opendata-licence = Etalab Open Licence 2.0, unless the publisher says otherwise.
admin-analyses = Analyses
admin-analyses-text = Run the synthesis engine on a debate's contributions, read its themes, quotes and duplicates.
analysis-intro = The engine groups contributions into themes, finds duplicates and copy-paste campaigns, and keeps every analysis with its settings: where a theme comes from can always be checked.
analysis-start = Run an analysis
analysis-run-title = Analysis no. { $id }
analysis-themes = themes
analysis-themes-heading = Themes
analysis-documents = Contributions:
analysis-voices = Distinct voices:
analysis-outliers = Outside any theme:
analysis-why-link = why here?
analysis-why-title = Why this contribution is in this theme
analysis-theme = Theme
analysis-similarity = Closeness to the theme (cosine)
analysis-terms = Its words that weigh most
analysis-matching = Theme phrases it shares
analysis-outlier = Outside any theme
analysis-duplicates = Duplicates and campaigns
analysis-campaign = Campaign
analysis-dup-exact = identical text
analysis-dup-near = almost identical text
analysis-settings = Settings and version
error-analysis-empty = This debate has no contribution to analyse yet.
support-heading = Supports
support-count = { $count ->
    [0] Nobody supports this contribution yet.
    [one] { $count } person supports this contribution.
   *[other] { $count } people support this contribution.
}
support-add = I support this contribution
support-remove = Withdraw my support
support-login = Log in to support this contribution
error-support-twice = You already support this contribution.
error-support-none = You did not support this contribution.
analysis-running = in progress
analysis-failed = failed
analysis-running-long = The analysis is in progress. This page will show the result as soon as it is ready; you can also leave and come back later.
analysis-refresh = Refresh the page
analysis-failed-long = The analysis did not complete. The reason is below; you can start a new one.
analysis-theme-title = Theme “{ $label }”
analysis-outliers-title = Contributions outside any theme
analysis-subthemes = Sub-themes
analysis-all-subthemes = All sub-themes
analysis-members = contributions, closest to the theme first
analysis-members-range = { $from } to { $to } of { $total }
analysis-member-gone = (deleted since the analysis)
analysis-similarity-short = similarity
analysis-see-theme = All the theme's contributions
analysis-see-outliers = See the contributions outside any theme
pagination = Pages
page-prev = Previous page
page-next = Next page
status-hidden = Hidden
status-withdrawn = Withdrawn by its author
author-deleted = Deleted account
author-none = (no account)
error-409-title = Not possible right now
notice-edited = Your contribution is updated; the previous version stays readable to moderators and guarantors.
notice-withdrawn = Your contribution is withdrawn. It no longer appears in the list.
notice-commented = Your comment is published.
notice-reported = Thank you: your report was sent to the moderation team.
notice-followed = You follow this contribution: you will get an e-mail for each new comment.
notice-unfollowed = You no longer follow this contribution.
notice-hidden = The item is hidden; its author is told.
notice-restored = The item is restored; its author is told.
placeholder-hidden = This content was hidden by the moderators.
placeholder-hidden-reason = This content was hidden by the moderators. Reason: { $reason }
placeholder-withdrawn = This content was withdrawn by its author.
placeholder-title-hidden = Hidden contribution
placeholder-title-withdrawn = Withdrawn contribution
placeholder-title-published = Contribution
staff-still-readable = The text stays readable to moderators and guarantors.
comment-count = { $count ->
    [0] No comments yet
    [one] { $count } comment
   *[other] { $count } comments
}
comment-label = Your comment
comment-hint = At most { $max } characters. Stay courteous: comments are public and moderated.
comment-send = Publish the comment
comment-reply = Reply
comment-reply-label = Your reply
comment-login = Sign in to comment or support.
error-comment-too-long = This comment is too long.
error-comment-depth = Replies cannot go deeper in this conversation: reply higher up.
error-not-published = This contribution is no longer published: it can no longer be commented on, supported or edited.
error-edit-closed = The contributions phase is closed: the contribution can no longer be edited.
follow-start = Follow the comments
follow-stop = Stop following
report-contribution = Report this contribution
report-comment = Report this comment
report-reason = Why are you reporting it?
report-reason-comment = Why are you reporting it?
report-reason-spam = Advertising or spam
report-reason-abuse = Insulting, hateful or threatening
report-reason-personal-data = Someone else's personal data
report-reason-off-topic = Off topic
report-reason-other = Another reason
report-details = Details (optional)
report-send = Send the report
error-report-reason = Choose a reason.
error-report-twice = You already reported this item; the moderators will look at it.
contrib-edit = Edit my contribution
contrib-edit-title = Edit my contribution
contrib-edit-explain = The previous version is kept: moderators and guarantors can read it.
contrib-edit-save = Save the changes
contrib-back = Back to the contribution
contrib-history = Version history
contrib-withdraw = Withdraw my contribution
contrib-withdraw-explain = It will no longer appear in the list or in the open data. Moderators and guarantors will still be able to read it.
contrib-withdraw-confirm = Yes, withdraw my contribution
history-title = History: { $title }
history-explain = Each edit by the author keeps the previous version, newest first.
history-current = Current version, since { $from }
history-version = Version from { $from } to { $to }
moderation-reason = Reason
moderation-hide = Hide
moderation-restore = Restore
moderation-keep = Keep (close the reports)
moderation-kind-contribution = Contribution
moderation-kind-comment = Comment
moderation-reports = { $count } report(s) since { $date }
moderation-done = Decision recorded.
moderation-reported = Reported items
moderation-queue-empty = No reports waiting.
moderation-author = Author:
moderation-block = Block the author's account
moderation-block-reason = Reason for blocking
moderation-block-confirm = Block this account
moderation-hidden = Hidden items
moderation-hidden-empty = No hidden items.
error-moderation-reason = Give the reason: it is shown to the public and to the author.
error-moderation-status = This item has already changed; reload the page.
error-moderation-no-report = There is no report waiting on this item.
error-already-blocked = This account is already blocked.
admin-moderation = Moderation
admin-moderation-text = Reports to handle, hidden items to restore, accounts to block.
admin-events = Events
admin-events-text = Workshops, outreach and the Assises programme: publishing, registrations, waiting lists.
admin-my-events = My events
admin-my-events-text = The events you facilitate: attendance sheet and minutes.
mail-comment-subject = New comment on “{ $title }”
mail-comment-intro = A new comment was published on “{ $title }”, which you follow:
mail-comment-unfollow = To stop these e-mails, open the contribution and choose “Stop following”.
mail-moderation-contribution = your contribution
mail-moderation-comment = your comment on
mail-hidden-subject = Moderation: “{ $title }”
mail-hidden-contribution = Hello, your contribution “{ $title }” was hidden by the moderation team.
mail-hidden-comment = Hello, your comment on the contribution “{ $title }” was hidden by the moderation team.
mail-restored-contribution = Hello, your contribution “{ $title }” is visible again.
mail-restored-comment = Hello, your comment on the contribution “{ $title }” is visible again.
mail-hidden-appeal-contact = If you think this is a mistake, write to { $contact }: the debate's guarantors can review the decision.
mail-report-outcome-subject = Your report: “{ $title }”
mail-report-outcome-hidden = Thank you for your report. After review, the item you reported (“{ $title }”) was hidden.
mail-report-outcome-kept = Thank you for your report. After review, the item you reported (“{ $title }”) stays visible: it does not break the charter.
moderation-preset = Reason
moderation-preset-insult = Insulting or hateful words
moderation-preset-personal-data = Someone else's personal data
moderation-preset-spam = Advertising or repeated content
moderation-preset-off-topic = Off topic
moderation-preset-illegal = Illegal content
moderation-preset-none = — Choose a reason —
moderation-reason-details = Details (optional when a reason is chosen)
moderation-debate = Debate:
mail-hidden-body = Hello, { $what } “{ $title }” was hidden by the moderation team.
mail-hidden-reason = Reason: { $reason }
mail-hidden-appeal = If you think this is a mistake, reply to this e-mail: the debate's guarantors can review the decision.
mail-restored-subject = Moderation: “{ $title }” is restored
mail-restored-body = Hello, { $what } “{ $title }” is visible again.
field-order = Order
order-recent = Newest first
order-soutiens = Most supported
order-commentaires = Most commented
order-hasard = Random (early ones not favoured)
contrib-by-org = { $org } (by { $author })
contrib-on-behalf = Collective contribution on behalf of
field-summary-collective = Summary
hint-summary-collective = A few sentences with the gist (at most { $max } characters): they show in the list.
contrib-files = Attachments
file-purpose-attachment = attachment
file-purpose-scan = scan of the original
file-purpose-scan-published = scan of the original (published)
file-purpose-document = document
file-purpose-image = image
contrib-scan-label = Add the scan of the original
contrib-scan-hint = PDF or image. The scan stays with the contribution so that its provenance can be checked.
contrib-scan-send = Send the scan
contrib-scan-private = The scan “{ $name }” is visible to staff only: it may carry names and addresses. Publish it only after checking that it shows none.
contrib-scan-publish = I have checked: publish this scan
error-scan-online = A contribution written online has no paper original to scan.
error-attachment-type = Choose a PDF or an image (PNG, JPEG, WebP, GIF).
error-not-member = You are not a member of this organisation: you cannot contribute on its behalf.
error-org-name-taken = An organisation already has this name.
org-mine-title = My organisations
org-intro = An association, a collective, a service or a company can file a collective contribution (a "cahier d'acteur") on behalf of all its members.
org-none-yet = You are not a member of any organisation yet.
org-create = Create an organisation
org-create-button = Create the organisation
org-name = Name of the organisation
org-kind = Kind of organisation
org-description = Presentation
org-description-hint = Optional. Who are you, whom do you represent?
org-kind-association = Association
org-kind-collective = Citizen collective
org-kind-company = Company
org-kind-social-work = Social-work service
org-kind-institution = Institution
org-kind-research = Research
org-members = { $count ->
    [one] { $count } member
   *[other] { $count } members
}
org-members-heading = Members
org-admin = administrator
org-contributions = Its contributions
org-no-contribution = No published contribution yet.
org-invite = Invite a member
org-invite-hint = They will get a link to join the organisation.
org-invite-button = Send the invitation
org-invited = Invitation sent.
org-invitation-title = Join “{ $name }”
org-invitation-text = You are invited to join “{ $name }” on the platform. You will be able to file collective contributions on its behalf.
org-invitation-accept = Join the organisation
mail-invite-subject = Invitation to join “{ $name }”
mail-invite-body = Hello, you are invited to join “{ $name }” to contribute to the debate on its behalf. This link is valid for two weeks: { $link }
collective-title = Collective contribution: { $title }
collective-heading = Collective contribution (cahier d'acteur)
collective-intro = On behalf of your organisation: a longer text, a summary and up to three attachments.
collective-no-org = To file a collective contribution, first create or join an organisation:
collective-attachments = Attachments (optional)
collective-attachments-hint = PDF or images, at most { $max } MB each.
collective-attachment = Attachment
collective-attachments-again = The form was not sent: if you had chosen files, choose them again.
field-organisation = On behalf of
contrib-collective-invite = Writing on behalf of an association, a collective or a service?
search-title = Search: { $title }
search-heading = Search the contributions
search-label = Words to find
search-hint = Accents and capitals are ignored; "école" also finds "écoles". All words are searched; quotes search an exact phrase.
search-button = Search
search-count = { $count ->
    [0] No results.
    [one] { $count } result, most relevant first.
   *[other] { $count } results, most relevant first.
}
search-comment-on = Comment
search-building = The search index is being built: results are still incomplete.
error-search-too-long = This search is too long: at most 200 characters.
error-search-too-deep = Results stop at 10,000: narrow the search.
error-comment-flood = You wrote many comments in a short time: wait a few minutes before the next one. Your text is kept below.
error-report-flood = You sent many reports within an hour: the moderators are looking at them. Try again later.
error-support-own = You cannot support your own contribution.
error-report-own = You cannot report your own contribution: you may edit or withdraw it.
jobs-title = Background jobs
analysis-quote-withheld = [Text hidden by moderation since the analysis]
jobs-text = Mail, notices and analyses run in the background. A job that fails is retried after a growing delay, then marked failed with its reason.
jobs-counts = Queued: { $queued } · running: { $running } · done: { $done } · failed: { $failed }
jobs-failed = Failed jobs
jobs-pending = Queued or running jobs
jobs-none-failed = No failed job.
jobs-none-pending = No job waiting.
jobs-kind = Job
jobs-when-failed = Failed at
jobs-when-due = Due at
jobs-attempts = Attempts
jobs-error = Last error
jobs-retry = Retry
job-kind-mail = E-mail
job-kind-notify_followers = Notice to a contribution's followers
job-kind-password_reset = Password reset request
job-kind-analysis_run = Analysis
error-job-not-failed = This job has not failed: it is already queued or done.
admin-jobs = Background jobs
admin-jobs-text = Mail and analyses waiting or failed, and retrying them.
tokens-title = API access tokens
tokens-text = A token lets a program (a script, an application) use the platform's API on your behalf. Share it with nobody.
tokens-api-doc = API documentation
tokens-mine = Your tokens
tokens-none = You have no token yet.
token-new = New token
token-name = Token name
token-name-hint = To remember it by, e.g. "the association's script".
token-scope = Rights
token-scope-read = Read only
token-scope-write = Read and write (contribute, comment, support, report)
token-create = Create the token
token-created = Your new token:
token-created-once = Copy it now: it will not be shown again. Only its fingerprint is kept.
token-created-at = Created
token-used-at = Last used
token-never-used = Never used
token-revoke = Revoke
token-revoked = Revoked
error-too-many-tokens = You already have 20 live tokens: revoke one before creating another.
profile-tokens = API access tokens
error-too-many-items = At most 500 contributions per batch.
# Imported from another platform (Decidim)
contrib-theme = Theme: { $theme }
provenance-source-state = state on the original platform: { $state }
provenance-source-answer = answer: { $answer }
provenance-source-links = links: { $links }
source-state-accepted = accepted
source-state-rejected = rejected
source-state-evaluating = being evaluated
source-state-withdrawn = withdrawn
support-imported = { $count ->
    [0] No support received on the original platform.
    [one] { $count } support received on the original platform.
   *[other] { $count } supports received on the original platform.
}
author-imported = Participant on the original platform
alignment-for = For
alignment-against = Against
alignment-neutral = Neutral
field-theme = Theme

password-title = Change my password
password-text = Your other sign-ins (on another device or browser) will be closed, and reset links already sent will stop working.
field-current-password = Current password
password-button = Change the password
error-current-password = This is not your current password.
notice-password-changed-here = Password changed. Your other sign-ins were closed.
notice-account-deleted = Your account was deleted.

profile-my-data = My data
mydata-title = Download my data
mydata-text = You get, right away, a ZIP archive of everything the platform keeps about you.
mydata-what = Your account and profile, your contributions and their successive versions, your comments, your supports, the contributions you follow, your reports, your organisations, your event registrations, your access tokens (their names, never their secret), your open sign-ins and the audit log entries about you.
mydata-format = The archive holds an index.html page, readable in any browser without a connection, and a data.json file for a computer.
mydata-download = Download the archive (ZIP)
mydata-archive-title = My data on { $instance }
mydata-archive-intro = Everything the platform keeps about you, on { $date }. Times are in the platform’s time zone.
mydata-empty = Nothing.
mydata-section-account = Account and profile
mydata-section-roles = Roles
mydata-section-contributions = Contributions
mydata-section-contribution_versions = Earlier versions of your contributions
mydata-section-comments = Comments
mydata-section-supports = Supports
mydata-section-follows = Followed contributions
mydata-section-reports = Reports
mydata-section-organisations = Organisations
mydata-section-event_registrations = Event registrations
mydata-section-api_tokens = API access tokens
mydata-section-sessions = Open sign-ins
mydata-section-mail_links = Links sent by e-mail
mydata-section-audit_entries = Audit log entries about you
delete-title = Delete my account
delete-intro = Deletion is final: nobody, not even the platform’s team, can bring your account back.
delete-what-goes-title = What goes
delete-goes-account = Your account: e-mail address, display name, profile, roles, access tokens and all your open sign-ins.
delete-goes-links = Your supports, the contributions you followed, your place in your organisations.
delete-goes-registrations = Your event registrations: the places freed go to the people on the waiting list.
delete-what-stays-title = What stays
delete-stays-audit = The audit log keeps a trace of what was done under your account’s number only, which no longer leads to any name or address.
delete-stays-others = Other people’s answers to your contributions stay.
delete-download-first = Download my data first
delete-mode-legend = What becomes of your { $contributions } contributions and { $comments } comments?
delete-mode-anonymise = Keep them, signed “Anonymous participant”: they still count in the debate, without your name.
delete-mode-withdraw = Withdraw them: their text is erased, with its earlier versions.
delete-password-hint = To confirm it is you.
delete-button = Delete my account for good
delete-cancel = No, back to my profile
error-last-admin-delete = You are the last administrator: give this role to someone else first.

# Second factor, sessions, re-authentication
code-title = Verification code
code-intro = Your account is protected by a second factor. Type the six-digit code shown by your app, or one of your recovery codes.
field-code = Code
field-code-or-none = Or a code from your app
code-hint = Six digits, or a recovery code like abcde-fghij.
code-hint-app = The six digits shown by the app.
code-button = Verify
error-wrong-code = This code does not fit: it may have been used already or have expired. Type the code shown now.
reauth-title = Confirm it is you
reauth-intro = This action is sensitive. Type your password (or a code from your app), then do the action again.
error-reauth = This password or code does not fit.
second-factor-title = Second sign-in factor
second-factor-intro = A second factor protects your account even if your password is found out: each sign-in will ask for a six-digit code from your phone.
second-factor-required = Your role on this platform needs a second factor: signing in ends once it is set up.
second-factor-step-app = Install an authenticator app (FreeOTP, Aegis, Google Authenticator, your password manager's app…).
second-factor-step-secret = Add an account by typing this secret key, or open the link on your phone:
second-factor-link = Add to the app (otpauth link)
second-factor-step-code = Type the code the app shows to confirm.
second-factor-confirm = Confirm and turn on
second-factor-on = The second factor is on.
second-factor-enabled = The second factor is on for this account: each sign-in asks for a code from your app.
second-factor-continue = Continue
recovery-title = Your recovery codes
recovery-intro = Write down or print these ten codes and keep them safe: each lets you sign in once if you no longer have your phone. They will not be shown again.
recovery-left = { $count ->
    [0] No recovery code left.
    [one] One unused recovery code.
   *[other] { $count } unused recovery codes.
}
sessions-title = My sessions
sessions-intro = The devices where your account is signed in. If you do not recognise one, end its session and change your password.
sessions-caption = Open sessions, most recently used first
sessions-device = Device
sessions-created = Signed in
sessions-last-used = Last used
sessions-actions = Actions
sessions-this-one = this device
sessions-end = End
session-device = { $browser } on { $os }
session-device-unknown = Unknown device
audit-action-analysis-run = Analysis started
audit-action-audit-export = Log exported
audit-action-comment-create = Comment published
audit-action-contribution-create = Contribution published
audit-action-contribution-edit = Contribution edited by its author
audit-action-contribution-enter-offline = Contribution entered offline
audit-action-contribution-import = Contributions imported
audit-action-contribution-scan = Scan attached
audit-action-contribution-scan-publish = Scan published
audit-action-contribution-withdraw = Contribution withdrawn by its author
audit-action-debate-audience = Debate audience changed
audit-action-debate-create = Debate created
audit-action-debate-image = Debate image changed
audit-action-debate-phases = Phases changed
audit-action-debate-questions = Questions changed
audit-action-debate-update = Debate changed
audit-action-demo-events = Demo events
audit-action-demo-load = Demo loaded
audit-action-event-attendance = Attendance saved
audit-action-event-cancel = Event cancelled
audit-action-event-create = Event created
audit-action-event-export-registrations = Registrations exported
audit-action-event-minutes = Minutes entered
audit-action-event-publish = Event published
audit-action-event-register = Registration to an event
audit-action-event-unpublish = Event back to draft
audit-action-event-unregister = Registration cancelled
audit-action-event-update = Event changed
audit-action-job-retry = Job retried
audit-action-moderation-hide = Hidden by moderation
audit-action-moderation-restore = Restored by moderation
audit-action-moderation-keep = Reports dismissed
audit-action-organisation-create = Organisation created
audit-action-organisation-invite = Invitation sent
audit-action-organisation-join = Organisation joined
audit-action-programme-create = Programme created
audit-action-report-create = Report
audit-action-role-grant = Role granted
audit-action-role-revoke = Role revoked
audit-action-settings-lists = Lists changed
audit-action-speaker-create = Speaker added
audit-action-support-add = Support
audit-action-support-remove = Support removed
audit-action-token-create = API token created
audit-action-token-revoke = API token revoked
audit-action-user-block = Account blocked
audit-action-user-confirm = Address confirmed
audit-action-user-data-export = Personal data downloaded
audit-action-user-delete = Account deleted
audit-action-user-password-change = Password changed
audit-action-user-password-reset = Password reset
audit-action-user-recovery-code-used = Recovery code used
audit-action-user-second-factor-on = Second factor turned on
audit-action-user-session-end = Session ended
audit-action-user-signup = Account created
audit-action-user-unblock = Account unblocked
audit-target-contribution = contribution #
audit-target-comment = comment #
audit-target-debate = debate #
audit-target-event = event #
audit-target-registration = registration #
audit-target-user = account #
audit-target-organisation = organisation #
audit-target-job = job #
audit-target-token = token #
audit-target-programme = programme #
audit-target-speaker = speaker #

# Final report (issue 12): refusals rendered by the shared error page.
report-refused-frozen = This version of the report is frozen (saved or published): it can no longer be changed. Edit the current draft, then publish a new version.
report-refused-no-draft = The report has no draft: add a section first.
report-refused-not-published = This contribution is hidden or withdrawn: it cannot be cited.
report-blocked = Publication is refused: a citation is about an item hidden, withdrawn or deleted.
report-error-event-unknown = This event does not belong to this debate.
report-error-cite-what = Say what is cited: a contribution, or a theme of an analysis.
contribution-cited-in = In the final report
contribution-cited-in-diagnosis = Cited in the diagnosis “{ $title }”
contribution-cited-in-finding = Cited in the finding “{ $title }”
contribution-cited-in-recommendation = Cited in the recommendation “{ $title }”
contribution-cite-in-report = Cite in the report
theme-cite-in-report = Cite this theme in the report
report-error-note-long = The sign-off note is too long (1,000 characters at most).
contribution-chain-recommendation = recommendation “{ $title }”
contribution-chain-commitment = the city's commitment “{ $title }” ({ $status })
commitment-status-planned = planned
commitment-status-in_progress = in progress
commitment-status-done = done
commitment-status-abandoned = abandoned
mail-commitment-subject = Follow-up of the debate: “{ $title }”
mail-commitment-intro = The city's commitment “{ $title }”, which answers a recommendation resting on your contribution, is now: { $status } ({ $progress } %).
mail-commitment-unfollow = You receive this message because you follow this recommendation; you can stop following it from the debate's follow-up page.
