# Concorde — interface en français (langue par défaut).

## Gabarit
skip-to-content = Aller au contenu
nav-label = Navigation principale
nav-home = Accueil
nav-profile = Mon profil
nav-admin = Administration
nav-logout = Se déconnecter
nav-login = Se connecter
nav-signup = Créer un compte
lang-switch = English
lang-name-fr = Français
lang-name-en = English
footer-legal = Mentions légales
footer-privacy = Données personnelles
footer-accessibility = Accessibilité : partiellement conforme
footer-powered = Plateforme de participation citoyenne Concorde, logiciel libre.
title-error-prefix = Erreur :
back-home = Retour à l'accueil
error-summary-item = { $label } : { $message }
form-has-errors = Le formulaire contient des erreurs
save = Enregistrer
create = Créer
delete = Supprimer
upload = Envoyer le fichier
search = Rechercher
download = Télécharger
older = Entrées plus anciennes
choice-none = Ne pas préciser
unit-kb = Ko
unit-mb = Mo

## Notifications
notice-saved = Modifications enregistrées.
notice-created = Débat créé. Complétez-le puis publiez-le.
notice-logged-out = Vous êtes déconnecté·e.
notice-password-changed = Mot de passe modifié. Vous pouvez vous connecter.
notice-confirmed = Adresse confirmée. Vous pouvez vous connecter.
notice-uploaded = Fichier enregistré.
notice-deleted = Fichier supprimé.
notice-roles-saved = Rôles enregistrés.

## Dates
month-1 = janvier
month-2 = février
month-3 = mars
month-4 = avril
month-5 = mai
month-6 = juin
month-7 = juillet
month-8 = août
month-9 = septembre
month-10 = octobre
month-11 = novembre
month-12 = décembre

## Accueil et débats
home-title = Les grands débats
home-intro = Donnez votre avis sur les projets de la ville : lisez, contribuez, participez aux rencontres.
home-empty = Aucun débat n'est publié pour le moment.
debate-draft = Brouillon, non publié
debate-current-phase = En ce moment :
debate-participate = Participer
debate-see-next-phase = Voir la prochaine étape
debate-edit = Modifier ce débat
debate-enter-offline = Saisir des contributions reçues sur papier
debate-questions = Les questions du débat
debate-timeline = Le calendrier
debate-who = Les publics que ce débat veut entendre
debate-who-all = Tout le monde peut participer ; le débat cherche en particulier à entendre :
debate-quartiers = Les quartiers concernés
debate-documents = Documents
phase-until = ouvert jusqu'au { $date }
phase-state-past = Terminé
phase-state-current = En cours
phase-state-upcoming = À venir
phase-kind-survey = Enquête
phase-kind-contributions = Contributions
phase-kind-workshops = Ateliers dans les quartiers
phase-kind-assises = Assises
phase-kind-report = Rapport final
phase-kind-call_for_projects = Appel à projets
phase-kind-other = Autre étape
status-draft = Brouillon
status-published = Publié

## Comptes
signup-title = Créer un compte
signup-intro = Un compte vous permet de contribuer, de commenter et de vous inscrire aux rencontres.
signup-button = Créer mon compte
signup-privacy = Nous ne demandons que ce qui est nécessaire.
signup-have-account = Vous avez déjà un compte ?
signup-check-mail-title = Vérifiez votre messagerie
signup-check-mail-text = Nous avons envoyé un lien de confirmation à
signup-check-mail-hint = Le lien est valable 7 jours. Pensez à regarder dans les indésirables.
confirm-title = Confirmer votre adresse
confirm-text = Cliquez sur le bouton pour confirmer votre adresse électronique.
confirm-button = Confirmer mon adresse
token-invalid = Ce lien n'est plus valable : il a déjà servi ou il a expiré.
login-title = Se connecter
login-button = Se connecter
login-forgot = Mot de passe oublié ?
login-no-account = Pas encore de compte ?
forgot-title = Mot de passe oublié
forgot-intro = Indiquez votre adresse : nous vous enverrons un lien pour choisir un nouveau mot de passe.
forgot-button = Envoyer le lien
forgot-sent = Si un compte existe pour cette adresse, un lien vient de lui être envoyé. Il est valable une heure.
reset-title = Choisir un nouveau mot de passe
reset-button = Enregistrer le mot de passe
profile-title = Mon profil
profile-email = Adresse électronique :
profile-roles = Rôles :
profile-why = Ces informations sont facultatives. Elles servent seulement à montrer qui a participé (par catégorie, quartier, âge), jamais à vous identifier.

field-display-name = Nom affiché
field-email = Adresse électronique
field-password = Mot de passe
field-new-password = Nouveau mot de passe
field-category = Je participe en tant que
field-quartier = Mon quartier
field-age = Ma tranche d'âge
field-lang = Langue de l'interface
hint-display-name = Visible avec vos contributions. Un prénom ou un pseudonyme suffit.
hint-password = Au moins 10 caractères. Une phrase facile à retenir convient très bien.
hint-category = Pour savoir quels publics ont participé.
hint-quartier = Pour savoir quels quartiers ont participé.
hint-age = Pour vérifier que toutes les générations sont entendues.
age-under-18 = Moins de 18 ans
age-18-24 = 18 à 24 ans
age-25-34 = 25 à 34 ans
age-35-49 = 35 à 49 ans
age-50-64 = 50 à 64 ans
age-65-79 = 65 à 79 ans
age-80-plus = 80 ans et plus
role-admin = Administrateur·rice
role-moderator = Modérateur·rice
role-analyst = Analyste
role-facilitator = Animateur·rice
role-guarantor = Garant·e
role-jury = Membre du jury

mail-confirm-subject = Confirmez votre adresse
mail-confirm-body = Bonjour,

    Pour confirmer votre adresse et activer votre compte, ouvrez ce lien :
    { $link }

    Si vous n'avez pas créé de compte, ignorez ce message.
mail-exists-subject = Vous avez déjà un compte
mail-exists-body = Bonjour,

    Quelqu'un (peut-être vous) a voulu créer un compte avec cette adresse, qui en a déjà un.
    Si vous avez oublié votre mot de passe, choisissez-en un nouveau ici :
    { $link }
mail-inactive-subject = { $instance } : votre compte sera supprimé dans 30 jours
mail-inactive-body = Bonjour,

    Vous ne vous êtes pas connecté·e à { $instance } depuis plus de { $months } mois. Sans connexion de votre part, votre compte sera supprimé dans { $days } jours : vos contributions et commentaires resteront, signés « Participant·e anonyme » ; votre adresse, votre profil, vos soutiens, vos abonnements et vos inscriptions seront effacés.

    Pour garder votre compte, il suffit de vous connecter :
    { $link }

    Pour le supprimer vous-même dès maintenant, ou retirer vos contributions, connectez-vous et choisissez « Supprimer mon compte » sur votre profil.
mail-inactive-staff-subject = { $instance } : votre compte n'a pas servi depuis longtemps
mail-inactive-staff-body = Bonjour,

    Vous ne vous êtes pas connecté·e à { $instance } depuis plus de { $months } mois. Votre compte a un rôle dans l'équipe : il ne sera pas supprimé automatiquement. S'il ne sert plus, demandez à un administrateur de retirer ses rôles, ou supprimez-le depuis votre profil :
    { $link }
mail-reset-subject = Nouveau mot de passe
mail-reset-body = Bonjour,

    Pour choisir un nouveau mot de passe, ouvrez ce lien (valable une heure) :
    { $link }

    Si vous n'avez rien demandé, ignorez ce message : votre mot de passe ne change pas.

## Erreurs de formulaire
error-required = Ce champ est obligatoire.
error-too-long = Ce texte est trop long.
error-invalid = Cette valeur n'est pas valable.
error-email = Saisissez une adresse électronique valide, par exemple nom@exemple.fr.
error-password-short = Le mot de passe doit compter au moins 10 caractères.
error-slug = Utilisez de 2 à 60 lettres minuscules sans accent, chiffres et tirets, par exemple « solidarites-2026 ».
error-slug-taken = Cette adresse est déjà utilisée par un autre débat.
error-date = Saisissez une date au format jj/mm/aaaa et une heure.
error-day = Saisissez une date au format aaaa-mm-jj (par exemple 2026-03-31).
error-invisible-chars = Ce nom contient des caractères invisibles ou qui inversent le sens du texte : retirez-les (un copier-coller les apporte parfois).
error-end-before-start = La fin doit être après le début.
error-number = Saisissez un nombre entier.
error-duplicate = Ce nom existe déjà.
error-file-missing = Choisissez un fichier.
error-file-type = Ce type de fichier n'est pas accepté, ou son contenu ne correspond pas à son extension. Formats acceptés : PDF, ODT, ODS, DOCX, XLSX, CSV, TXT, PNG, JPEG, WebP, GIF.
error-image-type = Choisissez une image PNG, JPEG, WebP ou GIF.
error-image-too-large = Cette image est trop lourde. Réduisez-la puis réessayez.
error-file-too-large = Ce fichier est trop lourd.
error-login = Adresse ou mot de passe incorrect.
error-login-throttled = Trop de tentatives de connexion. Attendez 15 minutes ou choisissez un nouveau mot de passe.
error-login-unconfirmed = Votre adresse n'est pas encore confirmée. Nous venons de vous renvoyer le lien de confirmation.
error-login-blocked = Ce compte est bloqué. Écrivez à l'équipe du site si vous pensez que c'est une erreur.
error-last-admin = Impossible : il doit rester au moins un·e administrateur·rice.
error-malformed-form = Le formulaire envoyé est incomplet ou illisible. Rechargez la page et réessayez.

## Pages d'erreur
error-code = Code d'erreur :
error-400-title = Demande incorrecte
error-401-title = Connexion nécessaire
error-401-text = Connectez-vous pour accéder à cette page.
error-403-title = Accès refusé
error-403-text = Votre compte n'a pas accès à cette page.
error-404-title = Page introuvable
error-404-text = Cette page n'existe pas ou n'est plus publiée.
error-413-title = Envoi trop volumineux
error-413-text = Le fichier ou le formulaire envoyé dépasse la taille autorisée.
error-429-title = Trop de demandes
error-429-text = Patientez quelques minutes avant de réessayer.
error-rate-limited = { $count ->
    [one] Trop de demandes en peu de temps. Votre texte est gardé : réessayez dans une minute.
   *[other] Trop de demandes en peu de temps. Votre texte est gardé : réessayez dans { $count } minutes.
}
error-500-title = Erreur du serveur
error-500-text = Une erreur inattendue est survenue. Rien n'a été perdu de ce qui était enregistré ; réessayez dans un instant.
error-csrf-title = Formulaire expiré
error-csrf-text = Ce formulaire a expiré ou ne vient pas de ce site. Rechargez la page puis envoyez-le à nouveau.

## Administration
admin-title = Administration
admin-nothing = Aucun espace ne correspond encore à vos rôles.
admin-offline = Saisie des contributions papier
admin-offline-text = Recopier les contributions reçues sur papier, par courrier ou en réunion :
admin-offline-none = Aucun débat publié pour l'instant.
admin-debates = Débats
admin-debates-text = Créer, modifier et publier les débats, leurs questions, leur calendrier et leurs documents.
admin-people = Personnes et rôles
admin-people-text = Attribuer les rôles, bloquer un compte.
admin-lists = Catégories et quartiers
admin-lists-text = Les catégories de participants et les quartiers proposés dans les profils et les débats.
admin-audit = Journal des actions
admin-audit-text = Toutes les actions importantes, avec leur auteur et leur date. Rien ne peut en être effacé.
audit-when = Date
audit-who = Qui
audit-what = Action
audit-target = Objet
audit-detail = Détail
audit-system = Système
audit-filter = Filtrer le journal
audit-filter-action-hint = Une action exacte (role.grant) ou un préfixe suivi d’un point (user.).
audit-filter-who-hint = Une partie du nom, ou le numéro de la personne (#12).
audit-from = Du
audit-until = Au (inclus)
audit-filter-apply = Filtrer
audit-export = Exporter ces entrées (CSV)
audit-none = Aucune entrée ne correspond.
editor-new = Nouveau débat
editor-title = Débat : { $title }
editor-sections = Parties du débat
editor-see-public = Voir la page publique
editor-tab-general = Général
editor-tab-questions = Questions
editor-tab-phases = Calendrier
editor-tab-audience = Publics et quartiers
editor-tab-files = Image et documents
field-title = Titre
field-slug = Adresse (slug)
field-summary = Résumé
field-body = Présentation
field-image-alt = Description de l'image
field-status = État
field-question = Question
field-position = Ordre
field-phase-kind = Type d'étape
field-description = Description
field-start = Début
field-end = Fin
field-image = Image d'en-tête
field-doc-title = Titre du document
field-document = Fichier
hint-slug = Apparaît dans l'adresse de la page. Laissez vide pour la déduire du titre.
hint-summary = Deux ou trois phrases, affichées sur l'accueil.
hint-markdown = Mise en forme Markdown : **gras**, listes avec « - », liens [texte](https://…).
hint-image-alt = Décrivez ce que montre l'image, pour les personnes qui ne la voient pas. Laissez vide si elle est décorative.
hint-status = Un brouillon n'est visible que par l'équipe.
hint-image = PNG, JPEG, WebP ou GIF, { $max } Mo au plus. Format conseillé : 1200 × 500 pixels.
hint-document = PDF, ODT, ODS, DOCX, XLSX, CSV ou TXT, { $max } Mo au plus.
questions-help = Les questions qui guident le débat. Chaque contribution répond à l'une d'elles. Remplissez une ligne vide pour en ajouter.
questions-new = Nouvelle question
questions-question = Question
phases-help = Les étapes du débat. L'étape en cours suit l'horloge. Heures dans le fuseau de l'instance
phases-new = Nouvelle étape
audience-categories = Catégories de participants concernées
audience-quartiers = Quartiers concernés
audience-none = La liste est vide. Remplissez-la d'abord :
files-image = Image d'en-tête
files-no-image = Pas encore d'image.
files-no-documents = Aucun document pour l'instant.
people-search = Chercher par adresse ou nom
people-you = vous
people-block = Bloquer le compte
person-confirmed = adresse confirmée
person-unconfirmed = adresse non confirmée
person-blocked = compte bloqué
lists-categories = Catégories de participants
lists-quartiers = Quartiers
lists-name = Nom
lists-name-fr = Nom (français)
lists-name-en = Nom (anglais)
lists-new-category = Nouvelle catégorie
lists-new-quartier = Nouveau quartier

## Pages légales
legal-title = Mentions légales
legal-publisher = Éditeur
legal-contact = Contact :
legal-software = Logiciel
legal-software-text = Cette plateforme utilise Concorde, logiciel libre de participation citoyenne.
legal-hosting = Hébergement
legal-hosting-text = La plateforme est hébergée par l'éditeur ou par le prestataire qu'il a choisi ; les données restent sous sa responsabilité.
privacy-title = Données personnelles
privacy-intro = Nous ne conservons que ce qui est nécessaire au débat. Voici ce qui est gardé et pourquoi.
privacy-what = Ce que nous gardons
privacy-email = Votre adresse électronique : pour vous connecter et vous écrire au sujet de votre compte. Elle n'est jamais affichée ni exportée.
privacy-name = Votre nom affiché : il accompagne vos contributions publiques. Un pseudonyme convient.
privacy-category = Votre catégorie de participant (facultative) : pour montrer quels publics ont participé.
privacy-quartier = Votre quartier (facultatif) : pour montrer quels quartiers ont participé.
privacy-age = Votre tranche d'âge (facultative) : pour vérifier que toutes les générations sont entendues. Jamais votre date de naissance.
privacy-lang = Votre langue : pour vous afficher le site et vous écrire dans cette langue.
privacy-logs = Les actions importantes (création de compte, modifications par l'équipe, suppression de compte) sont inscrites dans un journal consultable par les garants du débat. Chaque entrée y est enchaînée à la précédente par une empreinte (SHA-256), de sorte qu'une entrée modifiée ou effacée se voit. Après la suppression d'un compte, le journal n'en garde que le numéro.
privacy-cookies = Cookies
privacy-cookies-text = Le site n'utilise que des cookies techniques : votre session de connexion, la protection des formulaires et votre choix de langue. Aucun cookie de mesure d'audience ni de publicité.
privacy-rights = Vos droits
privacy-rights-text = Depuis votre profil, vous pouvez télécharger à tout moment une archive ZIP de tout ce que nous gardons sur vous (une page lisible et un fichier JSON), corriger votre profil, changer votre mot de passe (vos autres connexions sont alors fermées) et supprimer votre compte : vous choisissez alors de garder vos contributions, signées « Participant·e anonyme », ou de les retirer. Pour toute autre demande :
privacy-keep = Durée de conservation
privacy-keep-accounts = Un compte sans connexion depuis { $days } jours (environ { $months } mois) reçoit un courriel d'avertissement ; sans connexion dans les { $warning } jours qui suivent, il est supprimé : ses contributions et commentaires restent, signés « Participant·e anonyme », tout le reste est effacé. Les comptes qui ont un rôle dans l'équipe sont avertis mais jamais supprimés automatiquement.
privacy-keep-registrations = Les inscriptions aux rencontres faites sans compte (nom, adresse, téléphone) sont supprimées { $days } jours après la fin de la rencontre.
privacy-keep-sessions = Une connexion dure { $days } jours ; vous pouvez fermer vos connexions depuis votre profil.
privacy-complain = Si vous estimez, après nous avoir contactés, que vos droits ne sont pas respectés, vous pouvez adresser une réclamation à la CNIL (www.cnil.fr).
accessibility-title = Déclaration d'accessibilité
a11y-intro = La collectivité s'engage à rendre cette plateforme accessible conformément à l'article 47 de la loi n° 2005-102 du 11 février 2005.
a11y-status = État de conformité
a11y-status-text = Cette plateforme est partiellement conforme au référentiel général d'amélioration de l'accessibilité (RGAA 4.1), en attente d'un audit complet.
a11y-tests = Vérifications
a11y-tests-text = Chaque version est testée automatiquement avec axe-core (règles WCAG 2.1 A et AA) dans un vrai navigateur, et fonctionne sans JavaScript.
a11y-feedback = Retour d'information et contact
a11y-feedback-text = Si vous ne parvenez pas à accéder à un contenu ou à un service, écrivez-nous pour être orienté·e vers une alternative accessible :
a11y-recourse = Voies de recours
a11y-recourse-text = Si vous n'obtenez pas de réponse satisfaisante, vous pouvez écrire au Défenseur des droits ou le contacter dans l'une de ses permanences.

## Contributions
notice-published = Votre contribution est publiée. Merci !
contrib-open-until = Les contributions sont ouvertes jusqu'au { $date }.
contrib-opens-on = Les contributions ouvriront le { $date }.
contrib-closed-on = Les contributions sont closes depuis le { $date }. Merci à toutes et à tous.
contrib-none = Ce débat ne reçoit pas de contributions écrites.
contrib-anonymous = Participant·e anonyme
contrib-list-title = Contributions : { $title }
contrib-list-heading = Les contributions
contrib-count = { $count ->
    [0] Aucune contribution ne correspond.
    [one] { $count } contribution
   *[other] { $count } contributions
}
contrib-read-count = { $count ->
    [0] Lire les contributions
    [one] Lire la contribution
   *[other] Lire les { $count } contributions
}
contrib-write = Contribuer
card-supports = { $count ->
    [0] aucun soutien
    [one] 1 soutien
   *[other] { $count } soutiens
}
card-comments = { $count ->
    [0] aucun commentaire
    [one] 1 commentaire
   *[other] { $count } commentaires
}
contrib-edited-on = Modifiée par son auteur le { $date }
contrib-filters-active = filtres actifs
contrib-filters = Filtrer les contributions
contrib-next-page = Contributions suivantes
contrib-back-to-list = Toutes les contributions
contrib-new-title = Contribuer : { $title }
contrib-new-heading = Votre contribution
contrib-read = Lire les contributions
contrib-login-first = Pour contribuer, connectez-vous ou créez un compte : cela prend une minute.
contrib-confirm-first = Confirmez d'abord votre adresse électronique avec le lien reçu par courriel.
contrib-publish = Publier ma contribution
field-category-short = Catégorie
field-quartier-short = Quartier
field-channel = Canal
field-kind = Type
field-question-answered = La question à laquelle vous répondez
field-contrib-title = Titre
field-contrib-body = Votre contribution
hint-contrib-title = Une phrase qui résume votre idée.
hint-contrib-body = { $max } caractères au plus.
hint-contrib-quartier = Le quartier dont vous parlez ou où vous vivez. Facultatif.
filter-any = Tous
filter-any-f = Toutes
filter-apply = Filtrer
choose = Choisissez…
kind-individual = Individuelle
kind-collective = Collective (cahier d'acteur)
channel-online = En ligne
channel-paper = Papier
channel-workshop = Atelier
channel-mediation = Médiation
channel-conference = Conférence
contribution-said-at = Dit lors de :
nav-surveys = Enquêtes
nav-agenda = Agenda
debate-events-upcoming = { $count ->
    [0] aucun à venir
    [one] 1 à venir
   *[other] { $count } à venir
}
debate-events-attended = { $people ->
    [one] 1 personne venue
   *[other] { $people } personnes venues
} { $events ->
    [one] à 1 événement
   *[other] à { $events } événements
}
debate-agenda = Ateliers et rencontres de ce débat
channel-email = Courriel
channel-phone = Téléphone
channel-import = Import
error-malformed-filter = Ce filtre n'est pas valable. Revenez à la liste et choisissez dans les menus.
error-question-other-debate = Choisissez une des questions de ce débat.
error-contribution-too-long = Votre texte dépasse la longueur autorisée. Raccourcissez-le un peu.
error-question-has-contributions = Cette question a déjà des contributions : elle ne peut pas être supprimée.
offline-title = Saisir une contribution : { $title }
offline-heading = Saisir une contribution reçue hors ligne
offline-intro = Pour les contributions reçues sur papier, en atelier, lors d'une médiation, par courriel ou par téléphone. Elles rejoignent les autres, avec leur provenance.
offline-provenance = Provenance
offline-person = La personne (si on le sait)
offline-save-next = Enregistrer et saisir la suivante
offline-saved = Contribution enregistrée. Le canal, le lieu, la date et la question sont gardés pour la suivante.
offline-saved-link = Voir celle qui vient d'être saisie
offline-save = Enregistrer la contribution
field-place = Lieu
hint-place = Par exemple : maison de quartier de Malakoff, urne de la mairie annexe.
field-received-on = Reçue le
field-offline-body = Texte, tel qu'il a été écrit ou dit
hint-offline-body = Recopiez fidèlement, sans corriger le fond.
hint-offline-title = Une phrase qui résume la contribution ; laissé vide, le début du texte sert de titre.
hint-if-known = Si la personne l'a indiqué.
choice-unknown = Inconnu
provenance-received = reçue le { $date }
provenance-entered-by = saisie par { $name }
error-date-future = Cette date est dans le futur.
contrib-feed = Flux Atom des nouvelles contributions
opendata-title = Données ouvertes : { $title }
opendata-heading = Données ouvertes
opendata-intro = Les contributions et les commentaires publiés de ce débat, à réutiliser librement. Les auteurs y figurent sous un pseudonyme stable, le même dans les deux fichiers, jamais sous leur nom ni leur adresse ; ce que la modération a masqué et ce que les auteurs ont retiré n'y est pas.
opendata-contributions-heading = Contributions
opendata-contributions-count = { $count ->
    [0] Aucune contribution publiée pour le moment.
    [one] { $count } contribution publiée
   *[other] { $count } contributions publiées
}
opendata-contributions-csv = Télécharger les contributions (CSV, UTF-8)
opendata-contributions-jsonl = Télécharger les contributions (JSON Lines)
opendata-contributions-xlsx = Télécharger les contributions (XLSX, tableur Excel)
opendata-contributions-columns = Colonnes : id, question_id, question, kind (individual ou collective), channel (canal), title, body, author (pseudonyme), category, quartier, place (lieu), received_at, created_at (dates en UTC).
opendata-comments-heading = Commentaires
opendata-comments-count = { $count ->
    [0] Aucun commentaire publié pour le moment.
    [one] { $count } commentaire publié
   *[other] { $count } commentaires publiés
}
opendata-comments-csv = Télécharger les commentaires (CSV, UTF-8)
opendata-comments-jsonl = Télécharger les commentaires (JSON Lines)
opendata-comments-xlsx = Télécharger les commentaires (XLSX, tableur Excel)
opendata-comments-columns = Colonnes : id, contribution_id (la contribution commentée), parent_id (le commentaire auquel il répond, vide sinon), depth (0 pour une réponse à la contribution), author (pseudonyme), body, created_at (date en UTC).
opendata-events-heading = Événements
opendata-events-count = { $count ->
    [0] Aucun événement publié pour le moment.
    [one] { $count } événement publié
   *[other] { $count } événements publiés
}
opendata-events-csv = Télécharger les événements (CSV, UTF-8)
opendata-events-jsonl = Télécharger les événements (JSON Lines)
opendata-events-xlsx = Télécharger les événements (XLSX, tableur Excel)
opendata-events-columns = Colonnes : id, kind (workshop, mediation, conference, round_table, session_workshop), title, quartier, address, starts_at, ends_at (UTC), status, capacity, registered (places prises), waiting (liste d'attente), present (inscrits venus), walk_ins (venus sans inscription), contributions (ce qui s'y est dit). Aucun nom.
opendata-attendance-heading = Présence aux événements
opendata-attendance-count = { $count ->
    [0] Aucune présence enregistrée pour le moment.
    [one] { $count } ligne
   *[other] { $count } lignes
}
opendata-attendance-csv = Télécharger la présence (CSV, UTF-8)
opendata-attendance-jsonl = Télécharger la présence (JSON Lines)
opendata-attendance-xlsx = Télécharger la présence (XLSX, tableur Excel)
opendata-attendance-columns = Colonnes : event_id, category (catégorie de participant, vide si inconnue), quartier, people (nombre de personnes venues). Des totaux seulement, jamais de nom.
opendata-formats = Les formats
opendata-format-csv = Texte séparé par des virgules, en UTF-8, une ligne d'en-tête puis une ligne par élément : pour un tableur ou un programme. Les dates sont au format ISO 8601. Une cellule qui commencerait par =, +, - ou @ est précédée d'une apostrophe, pour qu'un tableur ne la prenne pas pour une formule.
opendata-format-jsonl = Un objet JSON par ligne, pour les programmes ; une valeur absente vaut null et les dates sont au format ISO 8601.
opendata-format-xlsx = Un classeur à une feuille, ligne d'en-tête figée, dates en vraies dates (UTC) ; les textes restent du texte, jamais des formules. Une feuille Excel tient au plus 1 048 575 lignes : au-delà, prenez le CSV.
opendata-xlsx-too-many = Trop de lignes pour une feuille Excel (1 048 575 au plus) : téléchargez plutôt le CSV ou le JSON Lines.
opendata-licence = Licence ouverte Etalab 2.0, sauf mention contraire de l'éditeur.
admin-analyses = Analyses
admin-analyses-text = Lancer le moteur de synthèse sur les contributions d'un débat, lire ses thèmes, ses citations et ses doublons.
analysis-intro = Le moteur regroupe les contributions en thèmes, repère les doublons et les campagnes de copier-coller, et garde chaque analyse avec ses réglages : on peut toujours vérifier d'où vient un thème.
analysis-start = Lancer une analyse
analysis-run-title = Analyse n° { $id }
analysis-themes = thèmes
analysis-themes-heading = Thèmes
analysis-documents = Contributions :
analysis-voices = Voix distinctes :
analysis-outliers = Hors thème :
analysis-why-link = pourquoi ici ?
analysis-why-title = Pourquoi cette contribution est dans ce thème
analysis-theme = Thème
analysis-similarity = Proximité avec le thème (cosinus)
analysis-terms = Ses mots qui pèsent le plus
analysis-matching = Expressions du thème qu'elle partage
analysis-outlier = Hors thème
analysis-duplicates = Doublons et campagnes
analysis-campaign = Campagne
analysis-dup-exact = texte identique
analysis-dup-near = texte presque identique
analysis-settings = Réglages et version
error-analysis-empty = Ce débat n'a pas encore de contribution à analyser.
support-heading = Soutiens
support-count = { $count ->
    [0] Personne ne soutient encore cette contribution.
    [one] { $count } personne soutient cette contribution.
   *[other] { $count } personnes soutiennent cette contribution.
}
support-add = Je soutiens cette contribution
support-remove = Retirer mon soutien
support-login = Connectez-vous pour soutenir cette contribution
error-support-twice = Vous soutenez déjà cette contribution.
error-support-none = Vous ne souteniez pas cette contribution.
analysis-running = en cours
analysis-failed = échec
analysis-running-long = L'analyse est en cours. Cette page affichera le résultat dès qu'il sera prêt ; vous pouvez aussi la quitter et revenir plus tard.
analysis-refresh = Actualiser la page
analysis-failed-long = L'analyse n'a pas abouti. La raison est ci-dessous ; vous pouvez en lancer une nouvelle.
analysis-theme-title = Thème « { $label } »
analysis-outliers-title = Contributions hors thème
analysis-subthemes = Sous-thèmes
analysis-all-subthemes = Tous les sous-thèmes
analysis-members = contributions, des plus proches du thème aux plus éloignées
analysis-members-range = { $from } à { $to } sur { $total }
analysis-member-gone = (supprimée depuis l'analyse)
analysis-similarity-short = proximité
analysis-see-theme = Toutes les contributions du thème
analysis-see-outliers = Voir les contributions hors thème
pagination = Pages
page-prev = Page précédente
page-next = Page suivante
status-hidden = Masquée
status-withdrawn = Retirée par son auteur
author-deleted = Compte supprimé
author-none = (sans compte)
error-409-title = Action impossible pour le moment
notice-edited = Votre contribution est modifiée ; la version précédente reste consultable par la modération et les garants.
notice-withdrawn = Votre contribution est retirée. Elle n'apparaît plus dans la liste.
notice-commented = Votre commentaire est publié.
notice-reported = Merci : votre signalement a été transmis à l'équipe de modération.
notice-followed = Vous suivez cette contribution : vous recevrez un courriel à chaque nouveau commentaire.
notice-unfollowed = Vous ne suivez plus cette contribution.
notice-hidden = L'élément est masqué ; son auteur en est informé.
notice-restored = L'élément est rétabli ; son auteur en est informé.
placeholder-hidden = Ce contenu a été masqué par la modération.
placeholder-hidden-reason = Ce contenu a été masqué par la modération. Motif : { $reason }
placeholder-withdrawn = Ce contenu a été retiré par son auteur.
placeholder-title-hidden = Contribution masquée
placeholder-title-withdrawn = Contribution retirée
placeholder-title-published = Contribution
staff-still-readable = Le texte reste lisible pour la modération et les garants.
comment-count = { $count ->
    [0] Aucun commentaire pour l'instant
    [one] { $count } commentaire
   *[other] { $count } commentaires
}
comment-label = Votre commentaire
comment-hint = { $max } caractères au plus. Restez courtois : les commentaires sont publics et modérés.
comment-send = Publier le commentaire
comment-reply = Répondre
comment-reply-label = Votre réponse
comment-login = Connectez-vous pour commenter ou soutenir.
error-comment-too-long = Ce commentaire est trop long.
error-comment-depth = On ne peut pas répondre plus loin dans cette conversation : répondez plus haut.
error-not-published = Cette contribution n'est plus publiée : on ne peut plus la commenter, la soutenir ni la modifier.
error-edit-closed = La phase de contributions est close : la contribution ne peut plus être modifiée.
follow-start = Suivre les commentaires
follow-stop = Ne plus suivre
report-contribution = Signaler cette contribution
report-comment = Signaler ce commentaire
report-reason = Pourquoi la signalez-vous ?
report-reason-comment = Pourquoi le signalez-vous ?
report-reason-spam = Publicité ou spam
report-reason-abuse = Propos injurieux, haineux ou menaçants
report-reason-personal-data = Données personnelles d'autrui
report-reason-off-topic = Hors sujet
report-reason-other = Autre raison
report-details = Précisions (facultatif)
report-send = Envoyer le signalement
error-report-reason = Choisissez une raison.
error-report-twice = Vous avez déjà signalé cet élément ; la modération va l'examiner.
contrib-edit = Modifier ma contribution
contrib-edit-title = Modifier ma contribution
contrib-edit-explain = La version précédente est conservée : la modération et les garants peuvent la consulter.
contrib-edit-save = Enregistrer les modifications
contrib-back = Retour à la contribution
contrib-history = Historique des versions
contrib-withdraw = Retirer ma contribution
contrib-withdraw-explain = Elle n'apparaîtra plus dans la liste ni dans les données ouvertes. La modération et les garants pourront encore la lire.
contrib-withdraw-confirm = Oui, retirer ma contribution
history-title = Historique : { $title }
history-explain = Chaque modification par l'auteur garde la version précédente, de la plus récente à la plus ancienne.
history-current = Version actuelle, depuis le { $from }
history-version = Version du { $from } au { $to }
moderation-reason = Motif
moderation-hide = Masquer
moderation-restore = Rétablir
moderation-keep = Garder (clore les signalements)
moderation-kind-contribution = Contribution
moderation-kind-comment = Commentaire
moderation-reports = { $count } signalement(s) depuis le { $date }
moderation-done = Décision enregistrée.
moderation-reported = Éléments signalés
moderation-queue-empty = Aucun signalement en attente.
moderation-author = Auteur :
moderation-block = Bloquer le compte de l'auteur
moderation-block-reason = Motif du blocage
moderation-block-confirm = Bloquer ce compte
moderation-hidden = Éléments masqués
moderation-hidden-empty = Aucun élément masqué.
error-moderation-reason = Indiquez le motif : il est montré au public et à l'auteur.
error-moderation-status = Cet élément a déjà changé d'état ; rechargez la page.
error-moderation-no-report = Il n'y a pas de signalement en attente sur cet élément.
error-already-blocked = Ce compte est déjà bloqué.
admin-moderation = Modération
admin-moderation-text = Signalements à traiter, éléments masqués à rétablir, comptes à bloquer.
admin-events = Événements
admin-events-text = Ateliers, médiations et programme des Assises : publication, inscriptions, liste d’attente.
admin-my-events = Mes événements
admin-my-events-text = Les événements que vous animez : feuille de présence et compte rendu.
mail-comment-subject = Nouveau commentaire sur « { $title } »
mail-comment-intro = Un nouveau commentaire a été publié sur « { $title } », que vous suivez :
mail-comment-unfollow = Pour ne plus recevoir ces courriels, ouvrez la contribution et choisissez « Ne plus suivre ».
mail-moderation-contribution = votre contribution
mail-moderation-comment = votre commentaire sur
mail-hidden-subject = Modération : « { $title } »
mail-hidden-contribution = Bonjour, votre contribution « { $title } » a été masquée par l'équipe de modération.
mail-hidden-comment = Bonjour, votre commentaire sur la contribution « { $title } » a été masqué par l'équipe de modération.
mail-restored-contribution = Bonjour, votre contribution « { $title } » est de nouveau visible.
mail-restored-comment = Bonjour, votre commentaire sur la contribution « { $title } » est de nouveau visible.
mail-hidden-appeal-contact = Si vous pensez que c'est une erreur, écrivez à { $contact } : les garants du débat peuvent relire la décision.
mail-report-outcome-subject = Votre signalement : « { $title } »
mail-report-outcome-hidden = Merci pour votre signalement. Après examen, l'élément que vous avez signalé (« { $title } ») a été masqué.
mail-report-outcome-kept = Merci pour votre signalement. Après examen, l'élément que vous avez signalé (« { $title } ») reste visible : il ne contrevient pas à la charte.
moderation-preset = Motif
moderation-preset-insult = Propos injurieux ou haineux
moderation-preset-personal-data = Données personnelles d'un tiers
moderation-preset-spam = Publicité ou contenu répété
moderation-preset-off-topic = Hors sujet
moderation-preset-illegal = Contenu illégal
moderation-preset-none = — Choisir un motif —
moderation-reason-details = Précisions (facultatif si un motif est choisi)
moderation-debate = Débat :
mail-hidden-body = Bonjour, { $what } « { $title } » a été masqué(e) par l'équipe de modération.
mail-hidden-reason = Motif : { $reason }
mail-hidden-appeal = Si vous pensez que c'est une erreur, répondez à ce courriel : les garants du débat peuvent relire la décision.
mail-restored-subject = Modération : « { $title } » est rétabli(e)
mail-restored-body = Bonjour, { $what } « { $title } » est de nouveau visible.
field-order = Ordre
order-recent = Les plus récentes
order-soutiens = Les plus soutenues
order-commentaires = Les plus commentées
order-hasard = Au hasard (sans favoriser les premières)
contrib-by-org = { $org } (par { $author })
contrib-on-behalf = Contribution collective au nom de
field-summary-collective = Résumé
hint-summary-collective = Quelques phrases qui disent l'essentiel ({ $max } caractères au plus) : elles s'affichent dans la liste.
contrib-files = Pièces jointes
file-purpose-attachment = pièce jointe
file-purpose-scan = scan de l'original
file-purpose-scan-published = scan de l'original (publié)
file-purpose-document = document
file-purpose-image = image
contrib-scan-label = Ajouter le scan de l'original
contrib-scan-hint = PDF ou image. Le scan reste attaché à la contribution pour que sa provenance puisse être vérifiée.
contrib-scan-send = Envoyer le scan
contrib-scan-private = Le scan « { $name } » n'est visible que de l'équipe : il peut porter des noms et adresses. Publiez-le seulement après avoir vérifié qu'il n'en montre aucun.
contrib-scan-publish = J'ai vérifié : publier ce scan
error-scan-online = Une contribution écrite en ligne n'a pas d'original papier à scanner.
error-attachment-type = Choisissez un PDF ou une image (PNG, JPEG, WebP, GIF).
error-not-member = Vous n'êtes pas membre de cette organisation : vous ne pouvez pas contribuer en son nom.
error-org-name-taken = Une organisation porte déjà ce nom.
org-mine-title = Mes organisations
org-intro = Une association, un collectif, un service ou une entreprise peut déposer une contribution collective (un « cahier d'acteur ») au nom de tous ses membres.
org-none-yet = Vous n'êtes membre d'aucune organisation pour l'instant.
org-create = Créer une organisation
org-create-button = Créer l'organisation
org-name = Nom de l'organisation
org-kind = Type d'organisation
org-description = Présentation
org-description-hint = Facultatif. Qui êtes-vous, qui représentez-vous ?
org-kind-association = Association
org-kind-collective = Collectif citoyen
org-kind-company = Entreprise
org-kind-social-work = Service social ou médico-social
org-kind-institution = Institution
org-kind-research = Recherche
org-members = { $count ->
    [one] { $count } membre
   *[other] { $count } membres
}
org-members-heading = Membres
org-admin = administrateur
org-contributions = Ses contributions
org-no-contribution = Pas encore de contribution publiée.
org-invite = Inviter un membre
org-invite-hint = La personne recevra un lien pour rejoindre l'organisation.
org-invite-button = Envoyer l'invitation
org-invited = Invitation envoyée.
org-invitation-title = Rejoindre « { $name } »
org-invitation-text = Vous êtes invité(e) à rejoindre « { $name } » sur la plateforme. Vous pourrez déposer des contributions collectives en son nom.
org-invitation-accept = Rejoindre l'organisation
mail-invite-subject = Invitation à rejoindre « { $name } »
mail-invite-body = Bonjour, vous êtes invité(e) à rejoindre « { $name } » pour contribuer en son nom au débat. Ce lien est valable deux semaines : { $link }
collective-title = Contribution collective : { $title }
collective-heading = Contribution collective (cahier d'acteur)
collective-intro = Au nom de votre organisation : un texte plus long, un résumé et jusqu'à trois pièces jointes.
collective-no-org = Pour déposer une contribution collective, créez ou rejoignez d'abord une organisation :
collective-attachments = Pièces jointes (facultatif)
collective-attachments-hint = PDF ou images, { $max } Mo au plus chacune.
collective-attachment = Pièce jointe
collective-attachments-again = Le formulaire n’a pas été envoyé : si vous aviez choisi des fichiers, choisissez-les de nouveau.
field-organisation = Au nom de
contrib-collective-invite = Vous écrivez au nom d'une association, d'un collectif ou d'un service ?
search-title = Rechercher : { $title }
search-heading = Rechercher dans les contributions
search-label = Mots recherchés
search-hint = Accents et majuscules sont ignorés, « école » trouve aussi « écoles ». Tous les mots sont cherchés ; des guillemets cherchent une expression exacte.
search-button = Rechercher
search-count = { $count ->
    [0] Aucun résultat.
    [one] { $count } résultat, du plus pertinent au moins pertinent.
   *[other] { $count } résultats, du plus pertinent au moins pertinent.
}
search-comment-on = Commentaire
search-building = L'index de recherche est en cours de construction : les résultats sont encore incomplets.
error-search-too-long = Cette recherche est trop longue : 200 caractères au plus.
error-search-too-deep = Les résultats s'arrêtent à 10 000 : précisez la recherche.
error-comment-flood = Vous avez écrit beaucoup de commentaires en peu de temps : patientez quelques minutes avant le suivant. Votre texte est conservé ci-dessous.
error-report-flood = Vous avez envoyé beaucoup de signalements en une heure : l'équipe de modération les examine. Réessayez plus tard.
error-support-own = On ne soutient pas sa propre contribution.
error-report-own = On ne signale pas sa propre contribution : vous pouvez la modifier ou la retirer.
jobs-title = Tâches en attente
analysis-quote-withheld = [Texte masqué par la modération depuis l'analyse]
jobs-text = Les courriels, les notifications et les analyses sont faits en tâche de fond. Une tâche qui échoue est réessayée avec un délai croissant, puis marquée en échec avec la raison.
jobs-counts = En attente : { $queued } · en cours : { $running } · faites : { $done } · en échec : { $failed }
jobs-failed = Tâches en échec
jobs-pending = Tâches en attente ou en cours
jobs-none-failed = Aucune tâche en échec.
jobs-none-pending = Aucune tâche en attente.
jobs-kind = Tâche
jobs-when-failed = Échec le
jobs-when-due = Prévue le
jobs-attempts = Essais
jobs-error = Dernière erreur
jobs-retry = Réessayer
job-kind-mail = Courriel
job-kind-notify_followers = Avis aux abonnés d'une contribution
job-kind-password_reset = Demande de nouveau mot de passe
job-kind-analysis_run = Analyse
error-job-not-failed = Cette tâche n'est pas en échec : elle est déjà en attente ou faite.
admin-jobs = Tâches de fond
admin-jobs-text = Courriels et analyses en attente ou en échec, et les relancer.
tokens-title = Jetons d'accès à l'API
tokens-text = Un jeton permet à un programme (un script, une application) d'utiliser l'API de la plateforme en votre nom. Ne le communiquez à personne.
tokens-api-doc = Documentation de l'API
tokens-mine = Vos jetons
tokens-none = Vous n'avez encore aucun jeton.
token-new = Nouveau jeton
token-name = Nom du jeton
token-name-hint = Pour vous en souvenir, par exemple « script de l'association ».
token-scope = Droits
token-scope-read = Lecture seule
token-scope-write = Lecture et écriture (contribuer, commenter, soutenir, signaler)
token-create = Créer le jeton
token-created = Votre nouveau jeton :
token-created-once = Copiez-le maintenant : il ne sera plus affiché. Seule son empreinte est conservée.
token-created-at = Créé le
token-used-at = Dernière utilisation
token-never-used = Jamais utilisé
token-revoke = Révoquer
token-revoked = Révoqué
error-too-many-tokens = Vous avez déjà 20 jetons actifs : révoquez-en un avant d'en créer un autre.
profile-tokens = Jetons d'accès à l'API
error-too-many-items = Au plus 500 contributions par envoi.
# Imported from another platform (Decidim)
contrib-theme = Thème : { $theme }
provenance-source-state = état sur la plateforme d'origine : { $state }
provenance-source-answer = réponse : { $answer }
provenance-source-links = liens : { $links }
source-state-accepted = acceptée
source-state-rejected = rejetée
source-state-evaluating = en cours d'évaluation
source-state-withdrawn = retirée
support-imported = { $count ->
    [0] Aucun soutien reçu sur la plateforme d'origine.
    [one] { $count } soutien reçu sur la plateforme d'origine.
   *[other] { $count } soutiens reçus sur la plateforme d'origine.
}
author-imported = Participant·e de la plateforme d'origine
alignment-for = Pour
alignment-against = Contre
alignment-neutral = Neutre
field-theme = Thème

password-title = Changer mon mot de passe
password-text = Vos autres connexions (sur un autre appareil, un autre navigateur) seront fermées, et les liens de réinitialisation déjà envoyés ne fonctionneront plus.
field-current-password = Mot de passe actuel
password-button = Changer le mot de passe
error-current-password = Ce n’est pas votre mot de passe actuel.
notice-password-changed-here = Mot de passe changé. Vos autres connexions ont été fermées.
notice-account-deleted = Votre compte a été supprimé.

profile-my-data = Mes données
mydata-title = Télécharger mes données
mydata-text = Vous recevez à l’instant une archive ZIP de tout ce que la plateforme garde sur vous.
mydata-what = Votre compte et votre profil, vos contributions et leurs versions successives, vos commentaires, vos soutiens, les contributions que vous suivez, vos signalements, vos organisations, vos inscriptions aux rencontres, vos jetons d’accès (leurs noms, jamais leur secret), vos connexions ouvertes et les entrées du journal des actions qui vous concernent.
mydata-format = L’archive contient une page index.html, lisible dans n’importe quel navigateur sans connexion, et un fichier data.json pour un traitement informatique.
mydata-download = Télécharger l’archive (ZIP)
mydata-archive-title = Mes données sur { $instance }
mydata-archive-intro = Tout ce que la plateforme garde sur vous, le { $date }. Les dates sont à l’heure de la plateforme.
mydata-empty = Rien.
mydata-section-account = Compte et profil
mydata-section-roles = Rôles
mydata-section-contributions = Contributions
mydata-section-contribution_versions = Versions antérieures de vos contributions
mydata-section-comments = Commentaires
mydata-section-supports = Soutiens
mydata-section-follows = Contributions suivies
mydata-section-reports = Signalements
mydata-section-organisations = Organisations
mydata-section-event_registrations = Inscriptions aux rencontres
mydata-section-api_tokens = Jetons d’accès à l’API
mydata-section-sessions = Connexions ouvertes
mydata-section-mail_links = Liens envoyés par courriel
mydata-section-audit_entries = Journal des actions vous concernant
delete-title = Supprimer mon compte
delete-intro = La suppression est définitive : personne, pas même l’équipe de la plateforme, ne pourra rétablir votre compte.
delete-what-goes-title = Ce qui disparaît
delete-goes-account = Votre compte : adresse électronique, nom affiché, profil, rôles, jetons d’accès et toutes vos connexions ouvertes.
delete-goes-links = Vos soutiens, les contributions que vous suiviez, votre place dans vos organisations.
delete-goes-registrations = Vos inscriptions aux rencontres : les places libérées vont aux personnes en liste d’attente.
delete-what-stays-title = Ce qui reste
delete-stays-audit = Le journal des actions garde la trace de ce qui a été fait sous le seul numéro de votre compte, qui ne mène plus à aucun nom ni aucune adresse.
delete-stays-others = Les réponses des autres personnes à vos contributions restent en place.
delete-download-first = Télécharger d’abord mes données
delete-mode-legend = Que deviennent vos { $contributions } contributions et { $comments } commentaires ?
delete-mode-anonymise = Les garder, signés « Participant·e anonyme » : ils comptent toujours dans le débat, sans votre nom.
delete-mode-withdraw = Les retirer : leur texte est effacé, avec ses versions antérieures.
delete-password-hint = Pour confirmer que c’est bien vous.
delete-button = Supprimer définitivement mon compte
delete-cancel = Non, revenir à mon profil
error-last-admin-delete = Vous êtes le dernier administrateur ou la dernière administratrice : donnez d’abord ce rôle à quelqu’un d’autre.

# Second factor, sessions, re-authentication
code-title = Code de vérification
code-intro = Votre compte est protégé par un second facteur. Tapez le code à six chiffres affiché par votre application, ou l'un de vos codes de secours.
field-code = Code
field-code-or-none = Ou un code de votre application
code-hint = Six chiffres, ou un code de secours comme abcde-fghij.
code-hint-app = Les six chiffres affichés par l'application.
code-button = Vérifier
error-wrong-code = Ce code ne convient pas : il a peut-être déjà servi ou expiré. Tapez le code affiché maintenant.
reauth-title = Confirmez qu'il s'agit bien de vous
reauth-intro = Cette action est sensible. Tapez votre mot de passe (ou un code de votre application), puis recommencez l'action.
error-reauth = Ce mot de passe ou ce code ne convient pas.
second-factor-title = Second facteur de connexion
second-factor-intro = Un second facteur protège votre compte même si votre mot de passe est découvert : à chaque connexion, un code à six chiffres de votre téléphone vous sera demandé.
second-factor-required = Votre rôle sur cette plateforme demande un second facteur : la connexion se termine une fois qu'il est en place.
second-factor-step-app = Installez une application d'authentification (FreeOTP, Aegis, Google Authenticator, l'application de votre gestionnaire de mots de passe…).
second-factor-step-secret = Ajoutez un compte en tapant cette clé secrète, ou ouvrez le lien sur votre téléphone :
second-factor-link = Ajouter à l'application (lien otpauth)
second-factor-step-code = Tapez le code que l'application affiche pour confirmer.
second-factor-confirm = Confirmer et activer
second-factor-on = Le second facteur est activé.
second-factor-enabled = Le second facteur est activé sur ce compte : chaque connexion demande un code de votre application.
second-factor-continue = Continuer
recovery-title = Vos codes de secours
recovery-intro = Notez ou imprimez ces dix codes et gardez-les en lieu sûr : chacun permet une connexion si vous n'avez plus votre téléphone, une seule fois. Ils ne seront plus affichés.
recovery-left = { $count ->
    [0] Plus aucun code de secours.
    [one] Un code de secours inutilisé.
   *[other] { $count } codes de secours inutilisés.
}
sessions-title = Mes sessions
sessions-intro = Les appareils où votre compte est connecté. Si vous n'en reconnaissez pas un, terminez sa session et changez votre mot de passe.
sessions-caption = Sessions ouvertes, la plus récemment utilisée d'abord
sessions-device = Appareil
sessions-created = Connexion
sessions-last-used = Dernière utilisation
sessions-actions = Actions
sessions-this-one = cet appareil
sessions-end = Terminer
session-device = { $browser } sur { $os }
session-device-unknown = Appareil inconnu
audit-action-analysis-run = Analyse lancée
audit-action-audit-export = Journal exporté
audit-action-comment-create = Commentaire publié
audit-action-contribution-create = Contribution publiée
audit-action-contribution-edit = Contribution modifiée par son auteur
audit-action-contribution-enter-offline = Contribution saisie hors ligne
audit-action-contribution-import = Contributions importées
audit-action-contribution-scan = Scan joint
audit-action-contribution-scan-publish = Scan publié
audit-action-contribution-withdraw = Contribution retirée par son auteur
audit-action-debate-audience = Publics du débat modifiés
audit-action-debate-create = Débat créé
audit-action-debate-image = Image du débat changée
audit-action-debate-phases = Phases modifiées
audit-action-debate-questions = Questions modifiées
audit-action-debate-update = Débat modifié
audit-action-demo-events = Événements de démonstration
audit-action-demo-load = Démonstration chargée
audit-action-event-attendance = Présence enregistrée
audit-action-event-cancel = Événement annulé
audit-action-event-create = Événement créé
audit-action-event-export-registrations = Inscriptions exportées
audit-action-event-minutes = Compte rendu saisi
audit-action-event-publish = Événement publié
audit-action-event-register = Inscription à un événement
audit-action-event-unpublish = Événement repassé en brouillon
audit-action-event-unregister = Inscription annulée
audit-action-event-update = Événement modifié
audit-action-job-retry = Tâche relancée
audit-action-moderation-hide = Masqué par la modération
audit-action-moderation-restore = Rétabli par la modération
audit-action-moderation-keep = Signalements classés
audit-action-organisation-create = Organisation créée
audit-action-organisation-invite = Invitation envoyée
audit-action-organisation-join = Organisation rejointe
audit-action-programme-create = Programme créé
audit-action-report-create = Signalement
audit-action-role-grant = Rôle accordé
audit-action-role-revoke = Rôle retiré
audit-action-settings-lists = Listes modifiées
audit-action-speaker-create = Intervenant ajouté
audit-action-support-add = Soutien
audit-action-support-remove = Soutien retiré
audit-action-token-create = Jeton d’API créé
audit-action-token-revoke = Jeton d’API révoqué
audit-action-user-block = Compte bloqué
audit-action-user-confirm = Adresse confirmée
audit-action-user-data-export = Données personnelles téléchargées
audit-action-user-delete = Compte supprimé
audit-action-user-password-change = Mot de passe changé
audit-action-user-password-reset = Mot de passe réinitialisé
audit-action-user-recovery-code-used = Code de secours utilisé
audit-action-user-second-factor-on = Second facteur activé
audit-action-user-session-end = Session fermée
audit-action-user-signup = Compte créé
audit-action-user-unblock = Compte débloqué
audit-target-contribution = contribution n°
audit-target-comment = commentaire n°
audit-target-debate = débat n°
audit-target-event = événement n°
audit-target-registration = inscription n°
audit-target-user = compte n°
audit-target-organisation = organisation n°
audit-target-job = tâche n°
audit-target-token = jeton n°
audit-target-programme = programme n°
audit-target-speaker = intervenant n°

# Rapport final (issue 12) : refus rendus par la page d'erreur commune.
report-refused-frozen = Cette version du rapport est figée (enregistrée ou publiée) : elle ne peut plus être modifiée. Modifiez le brouillon en cours, puis publiez une nouvelle version.
report-refused-no-draft = Le rapport n’a pas de brouillon : ajoutez d’abord une section.
report-refused-not-published = Cette contribution est masquée ou retirée : elle ne peut pas être citée.
report-blocked = La publication est refusée : une citation porte sur un élément masqué, retiré ou supprimé.
report-error-event-unknown = Cet événement n’appartient pas à ce débat.
report-error-cite-what = Dites ce qui est cité : une contribution, ou un thème d’une analyse.
contribution-cited-in = Dans le rapport final
contribution-cited-in-diagnosis = Citée dans le diagnostic « { $title } »
contribution-cited-in-finding = Citée dans le constat « { $title } »
contribution-cited-in-recommendation = Citée dans la préconisation « { $title } »
contribution-cite-in-report = Citer dans le rapport
theme-cite-in-report = Citer ce thème dans le rapport
report-error-note-long = La note de signature est trop longue (1 000 caractères au plus).
contribution-chain-recommendation = préconisation « { $title } »
contribution-chain-commitment = engagement de la Ville « { $title } » ({ $status })
commitment-status-planned = prévu
commitment-status-in_progress = en cours
commitment-status-done = réalisé
commitment-status-abandoned = abandonné
mail-commitment-subject = Suites du débat : « { $title } »
mail-commitment-intro = L’engagement de la Ville « { $title } », qui répond à une préconisation appuyée sur votre contribution, est désormais : { $status } ({ $progress } %).
mail-commitment-unfollow = Vous recevez ce message parce que vous suivez cette préconisation ; vous pouvez cesser de la suivre depuis la page des suites du débat.
