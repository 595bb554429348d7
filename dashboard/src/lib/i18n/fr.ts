// Libellés français : toutes les clés de l'anglais, ni plus ni moins (le type y veille).
import type { MessageKey } from './en.ts'

export const fr: Record<MessageKey, string> = {
  'nav.label': 'Pages',
  'nav.skip': 'Aller au contenu',
  'nav.apiDocs': 'Référence de l’API',
  'nav.definitions': 'Définitions des chiffres',
  'definitions.title': 'Définitions',
  'definitions.lead': 'Ce que compte exactement chaque chiffre de ce tableau de bord, avec ses limites.',
  'definitions.language': 'Les définitions sont rédigées en anglais.',
  'definitions.contents': 'Sommaire',
  'card.definition': 'Définition',
  'nav.group.executives': 'Direction',
  'nav.group.community': 'Communauté',
  'nav.group.hr': 'Ressources humaines',
  'nav.group.admin': 'Administration',
  'nav.overview': 'Vue d’ensemble',
  'nav.adoption': 'Adoption',
  'nav.engagement': 'Engagement',
  'nav.communities': 'Communautés',
  'nav.features': 'Fonctionnalités',
  'nav.collaboration': 'Collaboration',
  'nav.hr': 'Rapports RH',
  'nav.data': 'Données',
  'nav.settings': 'Paramètres',

  'filter.label': 'Filtres',
  'filter.org': 'Organisation',
  'filter.range': 'Période',
  'filter.from': 'Du',
  'filter.to': 'Au',
  'filter.interval': 'Pas',
  'filter.department': 'Service',
  'filter.site': 'Site',
  'filter.feature': 'Fonctionnalité',
  'filter.space': 'Communauté',
  'filter.all': 'Tous',
  'filter.preset.30': '30 derniers jours',
  'filter.preset.90': '90 derniers jours',
  'filter.preset.182': '6 derniers mois',
  'filter.preset.365': '12 derniers mois',
  'filter.preset.730': '24 derniers mois',
  'filter.preset.custom': 'Dates choisies',
  'interval.day': 'Jour',
  'interval.week': 'Semaine',
  'interval.month': 'Mois',
  'language.label': 'Langue',
  'theme.toDark': 'Passer au thème sombre',
  'theme.toLight': 'Passer au thème clair',
  'header.range': '{org} · du {from} au {to}',

  'action.retry': 'Réessayer',
  'action.refresh': 'Actualiser',
  'action.save': 'Enregistrer',
  'action.reset': 'Annuler les modifications',
  'action.close': 'Fermer',
  'action.signOut': 'Se déconnecter',
  'action.exportCsv': 'CSV',
  'export.failed': 'Échec du téléchargement : {message}',

  'state.loading': 'Chargement…',
  'state.empty.title': 'Rien à afficher pour l’instant',
  'state.empty.hint':
    'Aucune donnée pour cette période et ces filtres. Élargissez les dates, retirez le filtre service ou site, ou envoyez des événements (page Données).',
  'state.error.title': 'Chargement impossible',
  'state.error.network': 'Le serveur est injoignable. Vérifiez qu’il tourne, puis réessayez.',
  'state.error.notFound':
    'L’organisation « {org} » est inconnue pour ce jeton. Vérifiez l’organisation dans la barre de filtres.',
  'state.error.missing':
    'Le serveur ne propose pas encore ceci ({message}). Mettez le serveur à jour, ou demandez à son administrateur.',
  'state.error.forbidden':
    'Le rôle de votre jeton ne permet pas de lire ceci. Demandez à un administrateur un jeton direction, RH ou animateur de communauté.',
  'state.error.badRequest': 'Le serveur a refusé la requête : {message}. Modifiez les filtres et réessayez.',
  'state.error.unauthorized': 'Votre session a pris fin. Reconnectez-vous.',
  'state.error.server':
    'Le serveur a échoué (requête {id}). Réessayez dans un instant ; si cela persiste, consultez le journal du serveur.',
  'state.error.unknown': 'Erreur inattendue : {message}',
  'state.error.page': 'Cette page n’a pas pu être chargée. Rechargez l’onglet.',
  'card.notFiltered': 'Non filtré par {filters} : ce chiffre couvre toute l’organisation.',
  'table.more': '{shown} lignes affichées sur {total} ; exportez le CSV pour les avoir toutes.',

  'signIn.title': 'Connexion',
  'signIn.help':
    'Collez un jeton d’accès (administrateur, direction, RH ou animateur de communauté) et l’organisation à ouvrir.',
  'signIn.token': 'Jeton d’accès',
  'signIn.submit': 'Ouvrir le tableau de bord',
  'signIn.refused': 'Le serveur a refusé votre jeton. Connectez-vous avec un jeton valide.',
  'signIn.signedOut': 'Vous êtes déconnecté.',
  'signIn.badToken': 'Ce jeton a été refusé : il est inconnu ou révoqué.',
  'signIn.badOrg': 'Une organisation s’écrit en minuscules, chiffres, - et _.',
  'signIn.noOrg': 'L’organisation « {org} » n’existe pas pour ce jeton.',
  'signIn.where':
    'Le jeton administrateur est affiché au premier démarrage du serveur et conservé dans data/admin-token. Créez-en d’autres avec « npx implication token create ».',

  'unit.people': 'personnes',
  'unit.shareOfWorkforce': '% de l’effectif',
  'unit.shareOfActive': '% des actifs',
  'unit.shareOfCohort': '% de la cohorte',
  'unit.shareOfInteractions': '% des interactions',
  'unit.ratio': '0–100 %',
  'unit.adoptions': 'adoptions',
  'unit.interactions': 'interactions',
  'unit.emailsAndShare': 'e-mails / personne, % engagés',
  'unit.eventsPerMinute': 'événements / minute',
  'unit.minutes': '{n} min',
  'unit.hours': '{n} h',
  'unit.days': '{n} j',

  'kpi.index': 'Indice d’Implication',
  'kpi.indexSub': 'Moyenne pondérée de cinq ratios',
  'kpi.indexHelp':
    'Adoption, profondeur, fidélité, portée et réactivité, pondérées comme dans les Paramètres.',
  'kpi.adoption': 'Taux d’adoption',
  'kpi.adoptionSub': '{adopters} personnes sur {workforce}',
  'kpi.mau': 'Actifs du mois',
  'kpi.mauSub':
    'Jour {dau} (jours ouvrés de la dernière semaine complète) · semaine {wau} · fidélité {stickiness}',
  'kpi.roi': 'Retour sur investissement',
  'kpi.roiSub': 'Valeur {value} pour un coût de {cost}',
  'kpi.adopters': 'Adoptants',
  'kpi.ofWorkforce': 'sur {workforce} personnes',
  'kpi.newAdopters': 'Nouveaux adoptants',
  'kpi.inRange': 'sur la période choisie',
  'kpi.unknownActors': 'Hors référentiel',
  'kpi.unknownActorsSub': 'personnes actives absentes du référentiel',

  'source.roster': 'selon le référentiel RH',
  'source.actors': 'personnes vues (sans référentiel)',

  'overview.title': 'Vue d’ensemble',
  'overview.lead': 'Où en est l’adoption, quand elle touchera la plupart des gens, et ce qu’elle rapporte.',
  'overview.sCurve': 'Courbe d’adoption et prévision',
  'overview.sCurveHow':
    'Trait plein : part de l’effectif ayant adopté. Pointillés : le modèle de diffusion de Bass ajusté par le serveur, prolongé jusqu’à sa prévision. Lignes verticales : dates des 50 % et 80 %.',
  'overview.adoptionObserved': 'Adopté',
  'overview.adoptionFitted': 'Modèle de Bass',
  'overview.forecast50': '50 %',
  'overview.launchCohort': 'Cohorte de lancement',
  'overview.forecastInterval': '(intervalle à 80 % : {low} – {high})',
  'overview.forecastIntervalOpen': '(intervalle à 80 % : à partir du {low}, peut-être jamais)',
  'overview.cohortLaunch':
    'Lancement le {date} : {rate} des {size} personnes présentes au lancement ont adopté.',
  'overview.cohortHires': '{hires} personnes arrivées depuis : {rate} ont adopté, en {days} jours (médiane).',
  'overview.cohortHiresNone': '{hires} personnes arrivées depuis : aucune n’a encore adopté.',
  'overview.forecast80': '80 %',
  'overview.forecastDate': '{share} de la cohorte de lancement vers le {date}.',
  'overview.forecastReached': '{share} de la cohorte de lancement atteints le {date}.',
  'overview.forecastNever': 'Le modèle ne prévoit pas {share} : il plafonne vers {m}.',
  'overview.noForecast': 'Pas de prévision : {reason}.',
  'overview.financial': 'Retour financier',
  'overview.financialHow':
    'Temps gagné et e-mails évités, valorisés au coût horaire, face aux licences et à l’animation des communautés.',
  'overview.assumptions': 'Hypothèses',
  'overview.assumptionsTitle': 'Hypothèses du retour financier',
  'overview.assumptionsLead':
    'Chaque valeur ci-dessous se modifie dans les Paramètres ; le retour est recalculé à partir d’elles.',
  'overview.editAssumptions': 'Modifier dans les Paramètres',
  'overview.activeUsers': 'Personnes actives',
  'overview.activeUsersHow':
    'Par période : personnes actives un jour moyen (jour), sur les 7 derniers jours (semaine) et sur les 28 derniers jours (mois).',
  'overview.indexParts': 'De quoi l’indice est fait',
  'overview.indexPartsHow': 'Chaque ratio de 0 à 100 % ; l’indice en est la moyenne pondérée.',
  'overview.email': 'E-mail face à l’engagement',
  'overview.emailHow':
    'Barres : e-mails envoyés par personne (axe de gauche). Courbe : part de l’effectif engagée sur la plateforme (axe de droite). Quand la courbe monte, les barres devraient baisser.',
  'overview.emailEmpty':
    'Aucun événement email.sent : branchez le flux de messagerie pour voir le report de l’e-mail.',
  'overview.platform': 'La plateforme en bref',
  'overview.platformHow': 'Totaux de la période.',

  'roi.value': 'Valeur',
  'roi.cost': 'Coût',
  'roi.payback': 'Amorti en',
  'roi.notYet': 'pas encore',
  'roi.cumulativeValue': 'Valeur cumulée',
  'roi.cumulativeCost': 'Coût cumulé',
  'roi.months': 'Mois facturés',
  'roi.eventsValue': 'Valeur du temps gagné',
  'roi.emailsValue': 'Valeur des e-mails évités',
  'roi.licenceCost': 'Licences',
  'roi.communityCost': 'Animation des communautés',

  'index.adoption': 'Adoption',
  'index.depth': 'Profondeur',
  'index.stickiness': 'Fidélité',
  'index.reach': 'Portée entre services',
  'index.responsiveness': 'Réactivité',

  'email.perPerson': 'E-mails par personne',
  'email.engagedRate': 'Engagés sur la plateforme',
  'email.correlation':
    'Corrélation entre e-mails par personne et engagement : {r} (−1 : l’e-mail baisse quand l’engagement monte).',
  'email.noCorrelation': 'Pas assez de périodes pour corréler e-mails et engagement.',

  'summary.events': 'Événements',
  'summary.activePeople': 'Personnes actives',
  'summary.workforce': 'Effectif',
  'summary.communities': 'Communautés',
  'summary.dormant': 'Communautés en sommeil',
  'summary.unknownActors': 'Actifs hors référentiel',
  'summary.asOf': 'Au {date}.',
  'summary.workforceFrom': 'Effectif {source}.',

  'segment.innovators': 'Innovateurs',
  'segment.early_adopters': 'Enthousiastes',
  'segment.early_majority': 'Majorité précoce',
  'segment.late_majority': 'Majorité tardive',
  'segment.laggards': 'Retardataires',
  'segment.former_members': 'Partis depuis',
  'segment.non_adopters': 'Pas encore adopté',

  'adoption.title': 'Adoption',
  'adoption.lead': 'Qui a adopté, dans quel ordre, et qui a convaincu qui.',
  'adoption.launchCohort': 'Cohorte de lancement',
  'adoption.launchCohortSub': '{size} personnes au lancement, le {date}',
  'adoption.hires': 'Nouveaux arrivants',
  'adoption.hiresSub': '{hires} arrivés depuis le lancement · {days} jours pour adopter (médiane)',
  'adoption.hiresByMonth': 'Vitesse d’adoption des nouveaux arrivants, par mois d’arrivée',
  'adoption.hiresByMonthHow':
    'Pour les personnes arrivées après le lancement : le nombre médian de jours entre leur arrivée et leur première action engagée, par mois d’arrivée. Les mois récents ne comptent que ceux qui ont déjà adopté.',
  'adoption.hiresByMonthNote': '{adopters} nouveaux arrivants sur {hires} ont adopté.',
  'adoption.medianDays': 'Jours médians pour adopter',
  'adoption.segments': 'Segments de Rogers',
  'adoption.segmentsHow':
    'Les personnes selon l’ordre dans lequel elles ont adopté : les premiers 2,5 % sont les innovateurs, les 13,5 % suivants les enthousiastes, puis les majorités et les retardataires.',
  'adoption.byDepartment': 'Courbe d’adoption par service',
  'adoption.byDepartmentHow':
    'Part de chaque service ayant adopté, par période. Un service en retard est un bon endroit où envoyer des ambassadeurs.',
  'adoption.byDepartmentLegend':
    'Les huit plus grands des {n} services sont tracés ; choisissez-en d’autres dans la légende.',
  'adoption.byDepartmentEmpty':
    'Aucun service : chargez un référentiel avec une colonne service (page Données).',
  'adoption.flows': 'Flux de diffusion',
  'adoption.flowsHow':
    'Qui a convaincu qui : chaque adoption est attribuée aux adoptants qui ont agi envers la personne dans les 30 jours précédents. À gauche, le segment des influenceurs ; à droite, celui des personnes qu’ils ont amenées.',
  'adoption.flowsEmpty':
    'Aucune adoption influencée sur cette période (mentions, invitations, réponses ou contenus partagés avant l’adoption).',
  'adoption.flowsFoot':
    '{influenced} des {adopters} personnes ayant adopté sur la période ont été amenées par quelqu’un.',
  'adoption.champions': 'Ambassadeurs',
  'adoption.championsHow':
    'Les personnes qui ont entraîné le plus de collègues : les adoptants vers qui elles ont agi avant leur adoption, et leur part quand plusieurs l’ont fait.',
  'adoption.people': 'Adoptants par segment',
  'adoption.peopleHow':
    'Tout l’effectif avec son segment et le jour de son adoption : pour les administrateurs, et pour les animateurs de communauté quand les listes nominatives sont activées.',
  'lists.notForRole':
    'Les listes de personnes sont réservées aux administrateurs, et aux animateurs de communauté quand les listes nominatives sont activées. Votre rôle voit les effectifs : les segments ci-dessus.',
  'lists.championsNotForRole':
    'Les listes de personnes sont réservées aux administrateurs, et aux animateurs de communauté quand les listes nominatives sont activées. {influencers} personnes ont entraîné au moins un collègue sur la période.',

  'engagement.title': 'Engagement',
  'engagement.lead':
    'Combien de personnes viennent, à quelle fréquence, qui arrive, qui part, et avec quelle profondeur.',
  'engagement.dau': 'Actifs du jour',
  'engagement.wau': 'Actifs de la semaine',
  'engagement.mau': 'Actifs du mois',
  'engagement.dauSub': 'jour moyen de la dernière période',
  'engagement.lastPeriod': 'à la fin de la dernière période',
  'engagement.stickiness': 'Fidélité',
  'engagement.stickinessSub': 'actifs d’un jour ouvré ÷ actifs du mois, 28 derniers jours',
  'engagement.actives': 'Personnes actives par jour, semaine et mois',
  'engagement.activesHow':
    'Le mois compte les personnes actives sur les 28 derniers jours, la semaine sur les 7 derniers, le jour sur un jour moyen de la période.',
  'engagement.histogram': 'Jours d’activité sur les 28 derniers jours',
  'engagement.histogramHow':
    'Combien de personnes sont venues 1, 2 … 28 jours. Du poids à droite signale une habitude quotidienne.',
  'engagement.lifecycle': 'Arrivées et départs',
  'engagement.lifecycleHow':
    'Au-dessus de l’axe : les personnes actives sur la période (nouvelles, déjà là la période précédente, ou de retour après une pause). En dessous : les actifs de la période précédente qui ne sont pas revenus, ceux qui ont quitté l’organisation à part.',
  'engagement.ladder': 'Échelle de participation',
  'engagement.ladderHow':
    'Sur les 28 ou 90 derniers jours de la période : part des personnes actives qui créent, contribuent, seulement réagissent (j’aime, votes…) ou seulement lisent, à côté de la règle empirique 90-9-1 (en gris ; la règle n’a pas de réacteurs : ses 90 % couvrent réacteurs et lecteurs).',
  'engagement.ladderFoot':
    '{active} personnes actives ; {inactive} membres de l’effectif ({share}) n’ont rien fait sur la fenêtre.',
  'engagement.ladderWindow': 'Fenêtre : du {from} au {to} ({days} jours, jusqu’à la fin de la période)',
  'engagement.windowLabel': 'Fenêtre',
  'engagement.windowDays': '{days} jours',
  'engagement.ladderMonthly': 'Participation par mois',
  'engagement.ladderMonthlyHow':
    'Chaque mois de la période est sa propre fenêtre : la part de l’effectif dans chaque niveau (les personnes hors annuaire ne comptent pas). Un mois que la période coupe ne compte que ses jours à l’intérieur.',
  'engagement.partialMonth': '{month} (partiel)',
  'engagement.observed': 'Observé',
  'engagement.reference': 'Référence 90-9-1',
  'engagement.retention': 'Rétention par cohorte d’adoption',
  'engagement.retentionHowWeek':
    'Chaque ligne regroupe les personnes ayant adopté une même semaine ; chaque case, la part d’entre elles engagée k semaines plus tard. Plus foncé, c’est mieux.',
  'engagement.retentionHowMonth':
    'Chaque ligne regroupe les personnes ayant adopté un même mois ; chaque case, la part d’entre elles engagée k mois plus tard. Plus foncé, c’est mieux.',
  'engagement.retentionEmpty': 'Aucune cohorte d’adoption sur cette période.',
  'engagement.weeksAfter': 'semaines après l’adoption',
  'engagement.monthsAfter': 'mois après l’adoption',
  'engagement.cohort': 'Cohorte',

  'lifecycle.new': 'Nouveaux',
  'lifecycle.returning': 'Fidèles',
  'lifecycle.resurrecting': 'De retour après une pause',
  'lifecycle.dormant': 'Passés en sommeil',
  'lifecycle.left': 'Partis de l’organisation',

  'tier.creators': 'Créateurs',
  'tier.contributors': 'Contributeurs',
  'tier.reactors': 'Réacteurs',
  'tier.lurkers': 'Lecteurs',
  'tier.inactive': 'Inactifs',

  'communities.title': 'Communautés',
  'communities.lead':
    'Chaque communauté avec ses membres, son activité, sa santé et ses questions sans réponse.',
  'communities.count': 'Communautés',
  'communities.dormant': 'En sommeil',
  'communities.dormantSub': 'aucune contribution sur les 28 derniers jours (les vues ne comptent pas)',
  'communities.unanswered': 'Questions sans réponse',
  'communities.unansweredSub': 'un jour ouvré passé, sans réponse d’une autre personne',
  'communities.pending': 'Questions pas encore échues',
  'communities.pendingSub': 'posées moins d’un jour ouvré avant la fin',
  'communities.outside': 'Hors de tout espace',
  'communities.outsideHow':
    'Contenus et questions qui n’appartiennent à aucune communauté : comptés ici, jamais écartés. Ni membres ni indice de santé.',
  'communities.tooSmall': 'trop petite pour être notée',
  'communities.table': 'Toutes les communautés',
  'communities.tableHow':
    'Cliquez sur une colonne pour trier, sur un nom pour ouvrir la communauté. Santé (0–100) = 100 × moyenne de l’étendue (contributeurs des 28 jours ÷ membres actifs sur un an), de la réactivité (publications et questions des 90 jours auxquelles une autre personne a répondu) et de la dynamique (contributeurs des 28 jours ÷ ceux des 28 jours précédents) ; aucune sous 5 membres actifs sur un an. Les réponses sont chronométrées en heures ouvrées.',
  'communities.empty':
    'Aucune communauté pour l’instant : les événements doivent porter un « space » pour être comptés ici.',
  'communities.health': 'Santé des plus grandes communautés',
  'communities.healthHow':
    'Indice de santé (0–100) des quinze communautés qui comptent le plus de membres actifs : 100 × moyenne de l’étendue, de la réactivité et de la dynamique. Une communauté de moins de 5 membres actifs sur un an est trop petite pour être notée. Cliquez sur une barre pour l’ouvrir.',
  'communities.search': 'Chercher une communauté…',
  'communities.isDormant': 'En sommeil',
  'communities.isActive': 'Active',
  'communities.open': 'Ouvrir la communauté {space}',
  'communities.back': 'Toutes les communautés',
  'community.lead':
    'Une communauté : ses membres, son activité dans le temps et la participation de ses membres.',
  'community.unknown': 'Aucune communauté « {space} » sur cette période.',
  'community.answered': 'Réponse en moins d’un jour ouvré',
  'community.healthSub': 'étendue {b}, réactivité {r}, dynamique {m}',
  'community.questionsSub': '{questions} questions, {unanswered} sans réponse, {pending} pas encore échues',

  'table.person': 'Personne',
  'table.segment': 'Segment',
  'table.influenced': 'Adoptions suscitées',
  'table.credit': 'Crédit',
  'table.adoptedAt': 'Adoption le',
  'table.community': 'Communauté',
  'table.members': 'Membres',
  'table.activeMembers': 'Membres actifs',
  'table.health': 'Indice de santé',
  'table.posts': 'Publications',
  'table.replies': 'Réponses',
  'table.questions': 'Questions',
  'table.unanswered': 'Sans réponse',
  'table.medianReply': 'Première réponse (médiane)',
  'table.medianReplyBusiness': 'Première réponse (médiane, heures ouvrées)',
  'table.contributors': 'Contributeurs',
  'table.breadth': 'Étendue',
  'table.responsiveness': 'Réactivité',
  'table.momentum': 'Dynamique',
  'table.answered1bd': 'Réponse en 1 jour ouvré',
  'table.pending': 'Pas encore échues',
  'table.status': 'État',
  'table.feature': 'Fonctionnalité',
  'table.active': 'Actifs',
  'table.active28': 'Actifs, 28 derniers jours',
  'table.events': 'Événements',
  'table.firstUse': 'Première utilisation',
  'table.received': 'Reçu',
  'table.eventId': 'Identifiant',
  'table.field': 'Champ',
  'table.reason': 'Motif',
  'table.channel': 'Canal',
  'table.raw': 'Contenu reçu',

  'feature.platform': 'Plateforme',
  'feature.groups': 'Groupes',
  'feature.articles': 'Articles',
  'feature.wiki': 'Wiki',
  'feature.files': 'Fichiers',
  'feature.bookmarks': 'Favoris',
  'feature.events': 'Événements et sondages',
  'feature.qa': 'Questions-réponses',
  'feature.messaging': 'Messagerie',
  'feature.email': 'E-mail',

  'features.title': 'Fonctionnalités',
  'features.lead': 'Quelles fonctionnalités collaboratives ont été adoptées, et lesquelles sont utilisées.',
  'features.navigation':
    'La navigation (sessions, recherches) n’est pas classée avec les fonctionnalités : {active} personnes actives sur la période.',
  'features.adoption': 'Adoption par fonctionnalité',
  'features.adoptionHow':
    'Part de l’effectif ayant interagi au moins une fois avec la fonctionnalité (réaction ou plus).',
  'features.trend': 'Personnes actives par fonctionnalité',
  'features.trendHow': 'Personnes ayant utilisé chaque fonctionnalité sur la période (consultation ou plus).',
  'features.table': 'Détail par fonctionnalité',
  'features.tableHow':
    'Adoptants, actifs et événements par fonctionnalité ; la première utilisation est le premier jour où quelqu’un s’en est servi.',

  'collaboration.title': 'Collaboration',
  'collaboration.lead': 'La plateforme relie-t-elle les services, ou chacun reste-t-il dans son silo ?',
  'collaboration.share': 'Part inter-services',
  'collaboration.interactions': 'Interactions',
  'collaboration.interactionsSub': 'mentions, réponses, invitations, partages entre personnes',
  'collaboration.mixing': 'Face à un brassage au hasard',
  'collaboration.mixingSub':
    'un brassage au hasard donnerait {expected} entre services ; 1× est le hasard, moins de 1× des silos',
  'collaboration.expected': 'Au hasard',
  'collaboration.departments': 'Services',
  'collaboration.matrix': 'Qui travaille avec qui',
  'collaboration.matrixHow':
    'Lignes : le service de la personne qui agit ; colonnes : celui de la personne visée. La diagonale reste à l’intérieur d’un service.',
  'collaboration.overTime': 'Part inter-services dans le temps',
  'collaboration.overTimeHow':
    'Courbe : part des interactions entre deux services différents (axe de gauche) ; en pointillés : la part qu’un brassage au hasard donnerait, d’après ce que chaque service émet et reçoit. Barres : toutes les interactions (axe de droite).',
  'collaboration.withheld':
    '{n} cases laissées vides : elles concernent un service masqué pour la confidentialité (moins de {k} personnes, ou masqué à côté d’un tel service).',
  'collaboration.others': 'Autres services',
  'collaboration.all': 'Les {n} services',
  'collaboration.from': 'De',
  'collaboration.to': 'Vers',
  'collaboration.empty':
    'Aucune interaction entre deux personnes du référentiel sur cette période. Chargez un référentiel avec les services.',

  'group.none': 'Sans valeur',
  'group.withheld': 'masqué (< {k} personnes)',
  'group.withheldShort': 'masqué',
  'group.withheldList': 'Masqués (moins de {k} personnes) : {groups}.',

  'by.department': 'service',
  'by.site': 'site',
  'hr.title': 'Rapports RH',
  'hr.lead':
    'Les mêmes chiffres par service ou par site, prêts pour un rapport. Les petits groupes sont masqués, jamais omis.',
  'hr.breakdown': 'Ventiler par',
  'hr.privacy':
    'Confidentialité : un groupe de moins de {k} personnes est masqué, avec autant d’autres qu’il faut pour qu’aucune combinaison de chiffres, de filtres et de ventilations ne permette d’isoler quelqu’un.',
  'hr.adoptionByGroup': 'Adoption par {by}',
  'hr.adoptionByGroupHow': 'Part de chaque groupe ayant adopté, à la fin de la période.',
  'hr.segmentsByGroup': 'Segments de Rogers par {by}',
  'hr.segmentsByGroupHow': 'Personnes de chaque groupe dans chaque segment, classées au sein du groupe.',
  'hr.participationByGroup': 'Participation par {by}',
  'hr.participationByGroupHow':
    'Sur les 28 derniers jours de la période : part de l’effectif de chaque groupe qui a créé, contribué, seulement réagi, seulement lu, ou rien fait.',
  'hr.noRoster': 'Aucun groupe : chargez un référentiel avec les colonnes service et site (page Données).',
  'hr.exports': 'Téléchargements',
  'hr.exportsHow': 'Chaque téléchargement est le CSV de l’API pour les filtres en cours.',
  'hr.export.summary': 'Synthèse',
  'hr.export.adoption': 'Adoption par {by}',
  'hr.export.curve': 'Courbe d’adoption',
  'hr.export.participation': 'Participation par {by}',
  'hr.export.lifecycle': 'Arrivées et départs par {by}',
  'hr.export.email': 'E-mail par {by}',
  'hr.export.roi': 'Retour financier par mois',
  'hr.report.title': 'Rapport d’engagement par mois et par {by}',
  'hr.report.how':
    'Effectif, actifs, engagés, créateurs, adoptants et taux d’adoption, participation aux communautés, par mois. Les groupes de moins de {k} personnes sont masqués, avec ceux qu’il faut pour qu’aucun ne se déduise.',
  'hr.report.csv': 'CSV',
  'hr.report.csvSemicolon': 'CSV (; Excel français)',
  'hr.report.xlsx': 'Excel (XLSX)',
  'hr.report.parquet': 'Parquet',

  'data.title': 'Données',
  'data.lead':
    'Ce que la plateforme a envoyé, ce qui a été refusé et pourquoi, et le référentiel des effectifs.',
  'data.stored': 'Événements enregistrés',
  'data.rejected': 'Événements refusés',
  'data.rejectedDropped':
    'Le stock des refus garde au plus {rows} lignes refusées pour cette organisation : {dropped} lignes plus anciennes ont été supprimées pour faire place aux nouvelles. Chaque émetteur a été informé de chaque refus dans sa propre réponse.',
  'data.lastEvent': 'Dernier événement',
  'data.lastReceived': 'Dernière réception',
  'data.rate': 'Événements par minute, en direct',
  'data.rateHow':
    'Calculé à partir de l’état de l’ingestion, relu toutes les {seconds} secondes tant que la page est ouverte.',
  'data.storedRate': 'Enregistrés',
  'data.rejectedRate': 'Refusés',
  'data.roster': 'Référentiel des effectifs',
  'data.rosterHow': 'Remplacez le référentiel par un fichier CSV (virgule ou point-virgule) ou JSON.',
  'data.rosterFile': 'Fichier du référentiel',
  'data.rosterChoose': 'Choisir un fichier…',
  'data.rosterNone': 'Aucun fichier choisi',
  'data.rosterSend': 'Charger le référentiel',
  'data.rosterDone': '{people} personnes enregistrées, {rejected} lignes refusées.',
  'data.rosterIgnored': 'Colonnes ignorées : {columns}.',
  'data.rosterLine': 'Ligne {line} : {message}',
  'data.rosterColumns':
    'Colonnes : id (obligatoire), department, site, manager, hired_at, left_at (dates AAAA-MM-JJ), community_manager (true/false, 1/0, oui/non).',
  'data.rejectedTable': 'Données refusées',
  'data.rejectedHow':
    'Les derniers événements et lignes de référentiel refusés, conservés tels qu’envoyés, avec le motif.',
  'data.rejectedEmpty': 'Rien n’a été refusé. Tout ce qui a été envoyé était valide.',
  // History import
  'data.import': 'Importer un historique',
  'data.importHow':
    'Chargez l’historique que votre plateforme exporte déjà : un export d’espace de travail Slack (zip), un export de données de réseau Viva Engage (zip ou ses fichiers CSV), ou un CSV d’activité. Prévisualisez d’abord : rien n’est écrit avant l’import. Réimporter le même export ne compte rien deux fois.',
  'data.importSource': 'Source',
  'data.importSlack': 'Export Slack (zip)',
  'data.importEngage': 'Export Viva Engage (zip ou fichiers CSV)',
  'data.importCsv': 'CSV d’activité (correspondance des colonnes)',
  'data.importFiles': 'Fichier(s) d’export',
  'data.importColumnType': 'Colonne de l’action',
  'data.importColumnTime': 'Colonne de la date',
  'data.importColumnActor': 'Colonne de la personne',
  'data.importColumnSpace': 'Colonne de l’espace (facultatif)',
  'data.importColumnId': 'Colonne de l’identifiant (facultatif)',
  'data.importTypes': 'Actions → types d’événements',
  'data.importTypesHint': 'ex. Publication=post.created, J’aime=reaction.added:groups',
  'data.importEncoding': 'Encodage',
  'data.importEncodingAuto': 'Détecter',
  'data.importPreview': 'Prévisualiser',
  'data.importRun': 'Importer',
  'data.importPreviewDone': 'Aperçu : rien n’est encore écrit.',
  'data.importDone': 'Importé.',
  'data.importEvents': '{events} événements, {people} personnes, {spaces} espaces, du {first} au {last}.',
  'data.importRoster': '{people} personnes dans le référentiel de l’export.',
  'data.importRefused': '{refused} lignes refusées (conservées avec leur fichier et leur ligne) :',
  'data.importDuplicates': '{duplicates} identifiants répétés gardés une fois.',
  'data.importSkipped': 'Écartés : {what}.',
  'data.importTimeZone': 'Heures sans fuseau lues en {zone}.',

  'settings.title': 'Paramètres',
  'settings.lead':
    'Les hypothèses du retour financier, les poids de l’indice, la confidentialité et le fuseau horaire de cette organisation.',
  'settings.adminOnly':
    'Le fuseau horaire et les réglages de confidentialité relèvent de l’administrateur : avec un jeton de direction (exec), seuls les hypothèses du retour financier et les poids de l’Indice d’Implication peuvent être modifiés.',
  'settings.general': 'Général',
  'settings.org':
    'Organisation « {org} ». L’enregistrement s’applique à tous les chiffres dès la lecture suivante.',
  'settings.timeZone': 'Fuseau horaire',
  'settings.timeZoneHint': 'Les jours et les semaines sont découpés dans ce fuseau.',
  'settings.minGroup': 'Taille minimale d’un groupe',
  'settings.holidays': 'Jours fériés',
  'settings.holidaysFR': 'France (les 11 jours fériés, Pâques calculé)',
  'settings.holidaysNone': 'Aucun',
  'settings.holidaysList': 'Notre propre liste de dates',
  'settings.holidaysHint': 'Jours non ouvrés : l’adhérence compte du lundi au vendredi sans eux.',
  'settings.closures': 'Fermetures',
  'settings.closuresHint':
    'Jours où l’organisation est fermée (AAAA-MM-JJ, séparés par des espaces) : non ouvrés eux aussi.',
  'settings.minGroupHint': 'Les groupes plus petits sont masqués dans les ventilations (au moins 3).',
  'settings.namedLists': 'Les animateurs voient les noms dans les listes de personnes',
  'settings.roi': 'Hypothèses du retour financier',
  'settings.currency': 'Devise',
  'settings.hourlyCost': 'Coût horaire d’un salarié',
  'settings.minutesReact': 'Minutes gagnées par réaction',
  'settings.minutesContribute': 'Minutes gagnées par contribution',
  'settings.minutesCreate': 'Minutes gagnées par création',
  'settings.minutesPerEmail': 'Minutes par e-mail',
  'settings.baselineEmails': 'E-mails par personne et par semaine avant',
  'settings.baselineAuto': '4 premières semaines de données',
  'settings.baselineHint':
    'Laissez vide pour prendre les quatre premières semaines de données de messagerie.',
  'settings.licence': 'Licence par poste et par mois',
  'settings.communityCost': 'Animation des communautés par mois',
  'settings.weights': 'Poids de l’Indice d’Implication',
  'settings.weightsHint': 'Poids relatifs des cinq ratios ; au moins un supérieur à 0.',
  'settings.saved': 'Enregistré',
  'settings.refused': 'Le serveur a refusé ces paramètres : {message}',
  'settings.invalid.number': 'doit être un nombre, 0 ou plus',
  'settings.invalid.weights': 'au moins un poids doit être supérieur à 0',
  'settings.invalid.currency': 'trois lettres capitales (EUR, USD…)',
  'settings.invalid.groupSize': 'un nombre entier de 3 à 1000',
  // Privacy
  'privacy.purpose.3': 'Sécurité et traçabilité des accès à ces analyses',
  'privacy.purpose.2': 'Estimer le retour de la plateforme (temps gagné, e-mails évités), en agrégé',
  'privacy.purpose.1': 'Piloter les communautés et la collaboration entre services et sites',
  'privacy.purpose.0':
    "Mesurer l'adoption de la plateforme collaborative (qui adopte, à quel rythme, quelles fonctionnalités)",
  'privacy.pseudonymous': 'pseudonymisées',
  'privacy.named': 'avec les noms',
  'privacy.role.ingest': "Rien : envoie événements et référentiels, lit son état d'ingestion et ses refus",
  'privacy.role.hr':
    'Agrégats, effectifs et exports ; groupes de moins de {k} personnes masqués ; jamais de liste de personnes ; peut demander un effacement',
  'privacy.role.community_manager':
    'Agrégats ; groupes de moins de {k} personnes masqués (espaces quelle que soit leur taille) ; {named}',
  'privacy.role.exec':
    'Agrégats et effectifs ; groupes de moins de {k} personnes masqués ; jamais de liste de personnes',
  'privacy.role.admin':
    'Tout, petits groupes compris (signalés) ; listes de personnes (adoptants, relais, membres d’un segment) ; jetons, effacement, journal d’audit',
  'nav.privacy': 'Confidentialité',
  'privacy.title': 'Confidentialité',
  'privacy.lead':
    'Le registre des traitements de cette organisation : ce qui est collecté, pourquoi, combien de temps, qui voit quoi, et les seuils qui protègent les personnes.',
  'privacy.minGroup': 'Taille minimale de groupe',
  'privacy.minGroupHelp': 'Les groupes plus petits sont masqués pour tous les rôles sauf admin',
  'privacy.retention': 'Événements conservés',
  'privacy.months': '{n} mois',
  'privacy.pseudonymised': "Identifiants pseudonymisés à l'ingestion",
  'privacy.namedLists': 'Noms dans les listes nominatives pour les community managers',
  'privacy.yes': 'Oui',
  'privacy.no': 'Non',
  'privacy.purposes': 'Finalités',
  'privacy.purposesHow':
    'Pourquoi ces données sont traitées, et quelles données sert chaque finalité. Base légale : {basis}.',
  'privacy.collected': 'Données collectées',
  'privacy.collectedHow':
    'Chaque catégorie de données, ses champs, sa provenance et sa durée de conservation.',
  'privacy.category': 'Catégorie',
  'privacy.fields': 'Champs',
  'privacy.source': 'Provenance',
  'privacy.kept': 'Conservation',
  'privacy.roles': 'Qui voit quoi',
  'privacy.rolesHow':
    "Chaque jeton d'API a un rôle et un ensemble d'organisations ; un jeton ne voit jamais une autre organisation.",
  'privacy.role': 'Rôle',
  'privacy.sees': 'Voit',
  'privacy.rules': 'Protections',
  'privacy.ruleSuppression':
    'Les groupes de moins de {k} personnes sont masqués. Les cases masquées sont choisies une fois par organisation sur la grille service × site du référentiel actuel, avec un masquage complémentaire dans les deux sens : dans chaque ligne et chaque colonne, les cases masquées réunissent au moins {k} personnes, et aucune ne se déduit en additionnant et soustrayant des chiffres publiés. Un filtre qui sélectionne moins de {k} personnes est refusé (403). S’applique à : {formats}.',
  'privacy.rulePseudonyms':
    "Pseudonymisation : si elle est active, acteur, cible, identifiant et manager du référentiel sont remplacés à l'ingestion par un HMAC-SHA256 sous une clé propre à l'organisation, gardée hors de la base d'événements ; référentiel et événements restent joignables.",
  'privacy.ruleRetention':
    'Conservation : les événements de plus de {n} mois sont supprimés par un TTL ClickHouse.',
  'privacy.ruleErasure':
    'Effacement : un admin ou les RH suppriment une personne partout (événements, référentiel, entrées refusées) et reçoivent un reçu.',
  'privacy.ruleAudit':
    'Audit : chaque lecture et chaque export est journalisé (qui, organisation, rapport, filtres, heure) ; les admins consultent et exportent le journal.',
  'privacy.eventTypes': "Types d'événements collectés",
  'privacy.eventTypesHow':
    "Le catalogue des événements : la fonctionnalité et le niveau d'engagement de chaque type.",
  'privacy.type': 'Type',
  'privacy.feature': 'Fonctionnalité',
  'privacy.level': 'Niveau',
  'privacy.role.metrics': 'Rien d’aucune organisation : lit les compteurs du processus sur GET /metrics',
  'privacy.cmLists.on': 'listes de personnes avec les noms (listes nominatives activées)',
  'privacy.cmLists.off':
    'effectifs seulement : les listes de personnes demandent les listes nominatives (désactivées)',
  'privacy.lists.named': 'l’admin et les animateurs de communauté (listes nominatives activées)',
  'privacy.lists.adminOnly':
    'l’admin seulement (les animateurs de communauté les auraient avec les listes nominatives activées)',
  'privacy.lawful': 'Base légale',
  'privacy.lawfulHow':
    'Pourquoi l’employeur peut traiter ces données sans demander de consentement, et la mise en balance de son intérêt légitime avec les droits des salariés.',
  'privacy.lawfulBasis':
    'Intérêt légitime de l’employeur (RGPD art. 6, paragraphe 1, f) : mesurer l’adoption d’un outil collaboratif qu’il a déployé, pour en piloter le déploiement, les communautés et le coût.',
  'privacy.balancingTitle': 'Mise en balance',
  'privacy.balancing.aggregates':
    'Agrégats seulement : chaque chiffre publié porte sur un groupe ; les listes de personnes vont à {lists}, jamais à la direction ni aux RH.',
  'privacy.balancing.min_group_size':
    'Taille minimale de groupe k = {k} : un groupe de moins de {k} personnes est masqué, avec un masquage complémentaire, et un filtre qui sélectionne moins de {k} personnes est refusé.',
  'privacy.balancing.pseudonyms.on':
    'Pseudonymes : les identifiants sont remplacés à l’ingestion par un pseudonyme à clé, avant tout enregistrement.',
  'privacy.balancing.pseudonyms.off':
    'Pseudonymes : disponibles (paramètre pseudonymise_ids) mais désactivés pour cette organisation ; les listes de personnes montrent des identifiants, pas des noms, sauf listes nominatives activées.',
  'privacy.balancing.no_individual_evaluation':
    'Aucune évaluation individuelle : aucun score, classement ou chiffre sur une personne ne sert à son appréciation, sa rémunération ou une sanction ; les listes de personnes donnent des jours, pas des heures.',
  'privacy.balancing.retention':
    'Durée limitée : les événements sont supprimés {n} mois après avoir eu lieu, et les agrégats calculés avec eux.',
  'privacy.consent':
    'Le consentement n’est pas une base valable ici : vu le déséquilibre des pouvoirs entre employeur et salarié, le consentement d’un salarié est rarement libre (lignes directrices 05/2020 du CEPD sur le consentement ; avis 2/2017 du G29 sur le traitement des données au travail).',
  'privacy.activities': 'Activités de traitement des analyses',
  'privacy.activitiesHow':
    'Chaque analyse traite des données personnelles : sa finalité, les données qu’elle utilise, sa base légale et qui voit son résultat.',
  'privacy.activity': 'Activité',
  'privacy.activityPurpose': 'Finalité',
  'privacy.activityData': 'Données utilisées',
  'privacy.activityBasis': 'Base légale',
  'privacy.activityWho': 'Qui voit le résultat',
  'privacy.basisShort': 'Intérêt légitime (RGPD art. 6, paragraphe 1, f)',
  'privacy.activity.aggregates.name': 'Agrégats d’adoption et d’engagement',
  'privacy.activity.aggregates.purpose':
    'Mesurer l’adoption et l’usage de la plateforme : courbe d’adoption, personnes actives et engagées, fonctionnalités, communautés, collaboration entre services et sites, retour estimé.',
  'privacy.activity.aggregates.data':
    'Événements d’activité (type, fonctionnalité, niveau, jour, espace) ; référentiel RH (service, site, dates d’entrée et de sortie).',
  'privacy.activity.aggregates.who':
    'Chaque rôle lecteur (admin, direction, animateur de communauté, RH), en effectifs et taux de groupes d’au moins {k} personnes ; l’admin voit aussi les groupes plus petits, signalés.',
  'privacy.activity.email_event_study.name':
    'Étude d’événement des e-mails (doubles différences par personne)',
  'privacy.activity.email_event_study.purpose':
    'Estimer si l’adoption de la plateforme change le nombre d’e-mails envoyés : les e-mails par jour de présence de chaque adoptant avant et après sa semaine d’adoption, comparés aux niveaux de référence propres des non-adoptants sur les mêmes semaines.',
  'privacy.activity.email_event_study.data':
    'E-mails envoyés par personne et par jour (nombres, jamais leur contenu) ; semaine d’adoption de chaque personne ; jours de présence ; service.',
  'privacy.activity.email_event_study.who':
    'Publiée seulement en agrégé : l’effet par semaine relative avec son intervalle, les personnes utilisées, et par service sous la règle k = {k} ; aucun rôle ne voit les chiffres avant et après d’une personne.',
  'privacy.activity.influence_ties.name': 'Liens d’influence',
  'privacy.activity.influence_ties.purpose':
    'Vérifier si les collègues entraînent l’adoption et qui sont les relais : une invitation, une mention ou une attribution qui vise une personne est un lien de son auteur vers elle (qui a visé qui).',
  'privacy.activity.influence_ties.data':
    'Événements d’une personne qui en visent une autre (auteur, cible, jour) : invitations, mentions, attributions ; date d’adoption de chaque personne.',
  'privacy.activity.influence_ties.who':
    'Flux entre segments et effet des pairs en agrégé pour chaque rôle lecteur ; listes nominatives des relais pour {lists}.',
  'privacy.activity.person_lists.name': 'Listes de personnes (adoptants, relais, membres d’un segment)',
  'privacy.activity.person_lists.purpose':
    'Permettre à ceux qui pilotent le déploiement de joindre les adoptants, les relais et les membres d’un segment, pour remercier, former ou demander de l’aide.',
  'privacy.activity.person_lists.data':
    'Identifiant de la personne (les noms seulement avec les listes nominatives) ; jour d’adoption, segment, service, site.',
  'privacy.activity.person_lists.who':
    '{lists} ; jamais la direction ni les RH, qui voient des effectifs ; des jours, pas des heures.',
  'privacy.thresholds': 'Où s’applique la taille minimale de groupe',
  'privacy.thresholdsHow':
    'Chaque groupe dont les chiffres demandent au moins {k} personnes distinctes, qui est compté, et les rôles qui le voient quelle que soit sa taille.',
  'privacy.group': 'Groupe',
  'privacy.population': 'Personnes comptées',
  'privacy.exempt': 'Montré quelle que soit sa taille à',
  'privacy.group.departments': 'Services',
  'privacy.group.sites': 'Sites',
  'privacy.group.department_site': 'Cases service × site',
  'privacy.group.spaces': 'Espaces',
  'privacy.group.department_matrix': 'Cases de la matrice service × service',
  'privacy.group.cohorts': 'Cohortes',
  'privacy.group.filtered': 'Populations sélectionnées par un filtre',
  'privacy.population.departments': 'membres de l’effectif',
  'privacy.population.sites': 'membres de l’effectif',
  'privacy.population.department_site': 'membres de l’effectif',
  'privacy.population.spaces': 'membres',
  'privacy.population.department_matrix': 'membres de l’effectif',
  'privacy.population.cohorts': 'personnes de la cohorte',
  'privacy.population.filtered': 'les personnes que les filtres sélectionnent',
  'privacy.dpia': 'Analyse d’impact (AIPD, RGPD art. 35)',
  'privacy.dpiaHow':
    'La liste de contrôle de l’AIPD de l’organisation, chaque point avec l’endroit d’Implication qui le met en œuvre ; l’état est à remplir par l’organisation, dans sa propre AIPD.',
  'privacy.dpiaRequired':
    'Une AIPD est obligatoire : la liste de la CNIL des traitements qui en exigent une comprend les « {quote} », et ces analyses lisent en continu l’activité de chaque salarié.',
  'privacy.dpiaSection': 'Partie',
  'privacy.dpiaWhat': 'Point',
  'privacy.dpiaWhereIs': 'Dans Implication : {where}',
  'privacy.dpiaStatus': 'État',
  'privacy.dpiaSection.description': 'Description',
  'privacy.dpiaSection.necessity': 'Nécessité et proportionnalité',
  'privacy.dpiaSection.risks': 'Risques pour les salariés',
  'privacy.dpiaSection.measures': 'Mesures',
  'privacy.status.to_do': '☐ À faire',
  'privacy.status.in_progress': 'En cours',
  'privacy.status.done': '☑ Fait',
  'privacy.dpia.description_processing':
    'Description systématique du traitement : les données, leur provenance, les activités de traitement, les destinataires des résultats',
  'privacy.dpia.description_purposes': 'Les finalités et l’intérêt légitime poursuivi',
  'privacy.dpia.necessity_minimisation':
    'Nécessité et proportionnalité : seuls les événements utiles à la mesure de l’adoption, des agrégats par défaut, des listes de personnes limitées à l’admin et aux animateurs de communauté sur option',
  'privacy.dpia.necessity_retention':
    'Durée de conservation limitée à ce que les finalités demandent (aujourd’hui {n} mois)',
  'privacy.dpia.necessity_information': 'Information des salariés et consultation du CSE',
  'privacy.dpia.necessity_rights':
    'Exercice des droits des personnes : accès, rectification, effacement, opposition',
  'privacy.dpia.risk_monitoring':
    'Risque pour les droits et libertés des salariés : surveillance ou évaluation individuelle à partir de leur activité, et l’effet dissuasif de se sentir observé',
  'privacy.dpia.risk_reidentification':
    'Risque de réidentifier une personne à partir d’un petit groupe, d’un filtre étroit ou de différences entre chiffres publiés',
  'privacy.dpia.risk_ties':
    'Risque d’exposer qui échange avec qui (liens d’influence) ou les habitudes d’e-mail d’une personne (étude des e-mails)',
  'privacy.dpia.risk_access': 'Risque d’accès non autorisé aux analyses ou de fuite d’un jeton',
  'privacy.dpia.measure_k':
    'Taille minimale de groupe k ({k}) avec un masquage complémentaire cohérent sur la grille',
  'privacy.dpia.measure_filters': 'Filtres sélectionnant moins de {k} personnes refusés (403)',
  'privacy.dpia.measure_pseudonyms': 'Pseudonymisation des identifiants à l’ingestion',
  'privacy.dpia.measure_roles': 'Séparation des rôles : admin, exec, hr, community_manager, ingest, metrics',
  'privacy.dpia.measure_audit': 'Journal d’audit de chaque lecture et de chaque export',
  'privacy.dpia.measure_erasure': 'Effacement d’une personne partout, avec un reçu',
  'privacy.dpia.measure_retention':
    'Suppression automatique (TTL) : événements et agrégats supprimés au-delà de la durée de conservation',
  'privacy.council': 'Consultation du CSE',
  'privacy.councilHow': 'Code du travail, art. L2312-38, alinéa 3.',
  'privacy.councilRule':
    'Le comité social et économique (CSE) doit être informé et consulté, avant la décision de mise en œuvre, sur les moyens ou techniques permettant un contrôle de l’activité des salariés : avant la mise en service de ces analyses, et de nouveau quand une finalité, une catégorie de données ou ce que voit un rôle change.',
  'privacy.councilItems': 'Ce qu’il faut présenter au CSE',
  'privacy.council.purposes':
    'Les finalités et les activités de traitement, avec leur base légale (cette page)',
  'privacy.council.data': 'Les données collectées, leur provenance et les types d’événements (cette page)',
  'privacy.council.min_group_size':
    'La taille minimale de groupe k = {k} et la règle de masquage (Paramètres ; cette page)',
  'privacy.council.roles':
    'Les rôles et ce que voit chacun, listes de personnes comprises (cette page ; listes nominatives dans Paramètres)',
  'privacy.council.retention': 'La durée de conservation : {n} mois (Paramètres)',
  'privacy.council.notice': 'La notice d’information remise aux salariés (ci-dessous)',
  'privacy.councilDate':
    'Date de la consultation : Implication n’a pas de paramètre pour elle. Consignez la date de l’avis du CSE dans le registre de l’organisation et sur la notice imprimée, avant la mise en service des analyses.',
  'notice.title': 'Notice d’information des salariés',
  'notice.how':
    'Code du travail, art. L1222-4 : aucune information concernant personnellement un salarié ne peut être collectée par un dispositif qui n’a pas été porté préalablement à sa connaissance. Imprimez la notice et remettez-la à chaque salarié avant le début de la collecte.',
  'notice.lead':
    'Une page imprimable remplie à partir des paramètres de cette organisation : k = {k}, conservation {n} mois, pseudonymisation, qui voit quoi, les droits des salariés. Complétez à la main le contact du DPO et la date de consultation du CSE.',
  'notice.printFr': 'Imprimer la notice salariés (FR)',
  'notice.printEn': 'Imprimer la notice salariés (EN)',
  'notice.failed': 'La notice n’a pas pu être ouverte : {message}',

  'managers.how':
    'Par mois, la part de toutes les contributions et de toutes les réponses faites par les personnes que l’annuaire désigne animateurs de communauté. Une communauté qui prend le relais de ses animateurs montre des courbes qui baissent.',
  'managers.withheld':
    'Moins de {k} animateurs de communauté : leur courbe montrerait une activité individuelle, elle n’est montrée qu’aux administrateurs et aux animateurs.',
  'managers.chart': 'Part des animateurs de communauté dans les contributions et les réponses, par mois',
  'managers.contributions': 'Contributions',
  'managers.contributionShare': 'Part des animateurs dans les contributions',
  'managers.replyShare': 'Part des animateurs dans les réponses',
  'managers.empty': 'Aucune contribution ni réponse sur cette période.',
  'managers.noneOnRoster':
    'L’annuaire ne désigne aucun animateur de communauté : ajoutez la colonne community_manager (true/false, 1/0, oui/non) pour voir leur part.',
}
