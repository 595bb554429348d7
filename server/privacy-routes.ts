// Privacy routes: the processing register (what is collected, why, for how long, who sees what,
// with which thresholds; the processing activities, their lawful basis, the DPIA checklist and the
// works council consultation), the printable employee information notice, erasure of a person,
// and the audit log for admins.
import type { ClickHouseClient } from '@clickhouse/client'
import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { csvCell } from '../analytics/exports/csv-cells.ts'
import { SettingsStore } from '../analytics/settings.ts'
import { type IngestPseudonymiser, pseudonymOf } from '../ingest/pseudonymise.ts'
import {
  type DpiaItem,
  type NoticeLanguage,
  noticeQuery,
  type ProcessingRegister,
  processingRegisterResponse,
} from '../schemas/api/privacy.ts'
import type { OrgSettings } from '../schemas/api/settings.ts'
import { orgSchema } from '../schemas/event.ts'
import { eventCatalogue } from '../schemas/event-catalogue.ts'
import type { AuditLog, AuditRow } from './audit.ts'
import { erasePerson, erasureRebuiltTables, erasureRules } from './erasure.ts'
import { HttpError } from './errors.ts'

export interface PrivacyRoutesOptions {
  client: ClickHouseClient
  audit: AuditLog
  pseudonymiser: IngestPseudonymiser
}

const auditColumns = [
  'at',
  'org',
  'token_id',
  'role',
  'action',
  'report',
  'method',
  'route',
  'filters',
  'status',
  'request_id',
] as const satisfies readonly (keyof AuditRow)[]

/** The register of an org, from its real settings and the event catalogue. */
export function processingRegister(org: string, settings: OrgSettings, now = new Date()): ProcessingRegister {
  const k = settings.min_group_size
  const months = settings.retention_months
  const named = settings.named_lists_for_community_managers
  const personLevelRoles = named ? ['admin', 'community_manager'] : ['admin']
  const personListsGoTo = named
    ? 'admin, and community managers (the org turned named lists on)'
    : 'admin only (community managers would get them if the org turned named lists on; it has not)'
  const basis =
    'legitimate interest of the employer (GDPR art. 6(1)(f)): measuring the adoption of a tool it deployed'
  const orgPath = `/v1/orgs/${org}`
  return {
    org,
    generated_at: now.toISOString(),
    purposes: [
      {
        purpose: 'Measure adoption of the collaboration platform (who adopts, how fast, which features)',
        data: ['activity events', 'workforce roster'],
      },
      {
        purpose: 'Steer communities and collaboration across departments and sites',
        data: ['activity events', 'workforce roster'],
      },
      {
        purpose: 'Estimate the return on the platform (time saved, emails avoided) in aggregate',
        data: ['activity events', 'org settings'],
      },
      {
        purpose: 'Security and accountability of access to these analytics',
        data: ['audit log', 'api tokens'],
      },
    ],
    legal_basis:
      'Legitimate interest of the employer (GDPR art. 6(1)(f)): measuring the adoption of a tool it deployed; ' +
      'not consent, which is not a valid basis in employment. After information and consultation of the ' +
      'works council; no individual performance evaluation is made from these data.',
    lawful_basis: {
      article: 'GDPR art. 6(1)(f)',
      basis: 'legitimate interest of the employer',
      interest:
        'measuring the adoption of a collaboration tool the employer deployed, to steer its rollout, its ' +
        'communities and its cost',
      balancing_test: [
        {
          id: 'aggregates',
          safeguard:
            'aggregates only: every published number is about a group; person-level lists go to ' +
            `${personListsGoTo}, never to exec or hr`,
        },
        {
          id: 'min_group_size',
          safeguard: `minimum group size k = ${k}: a group under ${k} people is withheld, with complementary suppression, and a filter selecting fewer than ${k} people is refused`,
        },
        {
          id: 'pseudonyms',
          safeguard: settings.pseudonymise_ids
            ? 'pseudonyms: ids are replaced at ingest by a keyed pseudonym, before anything is stored'
            : 'pseudonyms: available (org setting pseudonymise_ids) but off for this org; person lists show ids, not names, unless named lists are on',
        },
        {
          id: 'no_individual_evaluation',
          safeguard:
            'no individual evaluation: no score, ranking or figure about one person is made for their ' +
            'appraisal, pay or discipline; times in person lists are days, not instants',
        },
        {
          id: 'retention',
          safeguard: `retention limit: events are dropped ${months} months after they happened, and the rollups with them`,
        },
      ],
      consent:
        'Consent is not a valid basis here: given the imbalance of power between employer and employee, ' +
        'an employee’s consent is rarely freely given (EDPB guidelines 05/2020 on consent; WP29 opinion ' +
        '2/2017 on data processing at work).',
      references: [
        'GDPR art. 6(1)(f)',
        'EDPB guidelines 05/2020 on consent under Regulation 2016/679',
        'Article 29 Working Party opinion 2/2017 on data processing at work (WP 249)',
      ],
    },
    activities: [
      {
        id: 'aggregates',
        activity: 'Adoption and engagement aggregates',
        purpose:
          'Measure the adoption and use of the platform: adoption curve, active and engaged people, ' +
          'features, communities, collaboration across departments and sites, estimated return',
        data: [
          'activity events (type, feature, level, day, space)',
          'workforce roster (department, site, hire and leave dates)',
        ],
        personal_data: true,
        lawful_basis: basis,
        who_sees: `every reading role (admin, exec, community_manager, hr), as counts and rates of groups of at least ${k} people; admin also sees smaller groups, flagged`,
        person_level_roles: [],
      },
      {
        id: 'email_event_study',
        activity: 'Email event study (difference in differences per person)',
        purpose:
          'Estimate whether adopting the platform changes how many emails people send: each adopter’s ' +
          'emails per present day before and after their adoption week, against the never-adopters’ (and ' +
          'not-yet-adopters’) own baselines over the same weeks',
        data: [
          'emails sent per person and day (counts of email.sent events, never their content)',
          'adoption week of each person',
          'present days (working days with any event)',
          'workforce roster (department)',
        ],
        personal_data: true,
        lawful_basis: basis,
        who_sees: `published only as aggregates: the effect per relative week with its interval, the people used, and by department under the k = ${k} rule; no role sees one person’s before and after figures`,
        person_level_roles: [],
      },
      {
        id: 'influence_ties',
        activity: 'Influence ties',
        purpose:
          'Check whether peers drive adoption and who the champions are: an invitation, a mention or an ' +
          'assignment that targets a person is a tie from its author to that person (who tied to whom); an ' +
          'adopter tied to in the 30 days before adopting credits the earlier adopters who tied to them',
        data: [
          'events by one person that target another (author, target, day): invitations, mentions, assignments',
          'adoption time of each person',
          'workforce roster (department, site)',
        ],
        personal_data: true,
        lawful_basis: basis,
        who_sees: `flows between segments and the peer effect as aggregates for every reading role; person-level champion lists (ranked by credit, with the people they tied to) to ${personListsGoTo}`,
        person_level_roles: personLevelRoles,
      },
      {
        id: 'person_lists',
        activity: 'Per-person lists (adopters, champions, segment members)',
        purpose:
          'Let the people who run the rollout reach adopters, champions and the members of a segment, to ' +
          'thank, train or ask for help',
        data: [
          `person id (${named ? 'with names: named lists are on' : settings.pseudonymise_ids ? 'pseudonymous' : 'as sent by the platform'})`,
          'adoption day, segment, department, site',
        ],
        personal_data: true,
        lawful_basis: basis,
        who_sees: `${personListsGoTo}; never exec or hr, who get counts; times are days, not instants`,
        person_level_roles: personLevelRoles,
      },
    ],
    data_collected: [
      {
        category: 'activity events',
        fields: [
          'actor',
          'target',
          'type',
          'feature',
          'level',
          'time',
          'space',
          'object',
          'parent',
          'count',
          'props',
        ],
        source: 'the collaboration platform (POST /v1/events)',
        kept: `${months} months after the event, then dropped`,
      },
      {
        category: 'workforce roster',
        fields: ['id', 'department', 'site', 'manager', 'hired_at', 'left_at', 'community_manager'],
        source: 'HR upload (PUT /v1/orgs/:org/roster)',
        kept: 'each upload is a snapshot kept until erased',
      },
      {
        category: 'refused input',
        fields: ['raw input as sent', 'reason'],
        source: 'input the API refused, kept so the sender can fix and resend it',
        kept: 'until erased, or until newer refusals take the org past its cap (REJECTED_MAX_ROWS_PER_ORG, REJECTED_MAX_BYTES_PER_ORG): the oldest go first',
      },
      {
        category: 'audit log',
        fields: ['token id', 'role', 'org', 'report', 'filters', 'time', 'status'],
        source: 'every read and export of a report',
        kept: 'append-only',
      },
    ],
    event_types: Object.entries(eventCatalogue).map(([type, entry]) => ({
      type,
      feature: entry.feature === 'given' ? 'named by the sender' : entry.feature,
      level: entry.level,
    })),
    retention: {
      events_months: months,
      mechanism: 'ClickHouse TTL on the event time: rows older than the retention are dropped in merges',
    },
    pseudonymisation: {
      ids_pseudonymised_at_ingest: settings.pseudonymise_ids,
      method:
        'actor, target, roster id and manager replaced by HMAC-SHA256 under a per-org key derived from a ' +
        'master key kept outside the event store',
      named_lists_for_community_managers: named,
    },
    thresholds: {
      min_group_size: k,
      complementary_suppression: true,
      filters_below_threshold_withheld: true,
      rule:
        'Withheld cells are decided once per org, on the department × site grid of the current roster: a ' +
        `cell under ${k} people is withheld, and complementary suppression runs in both directions: in each ` +
        `row and each column the withheld cells together hold at least ${k} people, and no withheld cell ` +
        'can be recovered by adding and subtracting the numbers published to a role, whatever it asks.',
      filters_below_threshold: `a filter (department, site, space, or a combination) that selects fewer than ${k} people is refused with 403`,
      groups: [
        { id: 'departments', group: 'departments', population: 'workforce members', exempt_roles: ['admin'] },
        { id: 'sites', group: 'sites', population: 'workforce members', exempt_roles: ['admin'] },
        {
          id: 'department_site',
          group: 'department × site cells',
          population: 'workforce members',
          exempt_roles: ['admin'],
        },
        {
          id: 'spaces',
          group: 'spaces',
          population: 'members',
          exempt_roles: ['admin', 'community_manager'],
        },
        {
          id: 'department_matrix',
          group: 'department × department matrix cells',
          population: 'workforce members',
          exempt_roles: ['admin'],
        },
        { id: 'cohorts', group: 'cohorts', population: 'people of the cohort', exempt_roles: ['admin'] },
        {
          id: 'filtered',
          group: 'filtered populations',
          population: 'the people the filters select',
          exempt_roles: ['admin'],
        },
      ],
      applies_to: ['JSON', 'CSV', 'Arrow', 'exports', 'CLI export', 'dashboard'],
      exempt_roles: ['admin'],
    },
    roles: [
      {
        role: 'admin',
        sees:
          'everything, small groups included (flagged); per-person lists (adopters, champions, segment ' +
          'members); manages tokens, erasure, audit log',
      },
      {
        role: 'exec',
        sees: `aggregates and counts; groups under ${k} people withheld; never per-person lists`,
      },
      {
        role: 'community_manager',
        sees: `aggregates; groups under ${k} people withheld (spaces whatever their size); ${
          named
            ? 'per-person lists with names (named lists are on)'
            : 'counts only: per-person lists need named lists on (off)'
        }`,
      },
      {
        role: 'hr',
        sees: `aggregates, counts and exports; groups under ${k} people withheld; never per-person lists; can request erasure`,
      },
      { role: 'ingest', sees: 'nothing: sends events and rosters, reads its ingest status and refusals' },
      { role: 'metrics', sees: 'nothing of any org: reads the process counters at GET /metrics' },
    ],
    dpia: {
      required: true,
      article: 'GDPR art. 35',
      cnil_list_item:
        'traitements ayant pour finalité de surveiller de manière constante l’activité des employés',
      why:
        'The CNIL’s list of the processing operations that require a DPIA (GDPR art. 35(4)) includes ' +
        'processing for the purpose of systematic monitoring of employees’ activity; these analyses read ' +
        'the activity of every employee continuously, so a DPIA is required before they are put to use.',
      items: dpiaItems(orgPath, k, months),
    },
    works_council: {
      required: true,
      article: 'Code du travail art. L2312-38, paragraph 3',
      rule:
        'The works council (comité social et économique, CSE) is informed and consulted before the ' +
        'decision to introduce means or techniques for monitoring employees’ activity.',
      when: 'before the analyses are put to use, and again when a purpose, a category of data or what a role sees changes',
      items_to_present: [
        {
          id: 'purposes',
          what: 'the purposes and the processing activities, with their lawful basis',
          where_in_implication: `GET ${orgPath}/privacy (purposes, activities, lawful_basis); dashboard page Privacy`,
        },
        {
          id: 'data',
          what: 'the data collected, their sources and the event types',
          where_in_implication: `GET ${orgPath}/privacy (data_collected, event_types)`,
        },
        {
          id: 'min_group_size',
          what: `the minimum group size k (${k}) and the suppression rule`,
          where_in_implication: 'org setting min_group_size (Settings page, admin); register thresholds',
        },
        {
          id: 'roles',
          what: 'the roles and what each sees, person-level lists included',
          where_in_implication:
            'register roles; org setting named_lists_for_community_managers; API tokens (POST /v1/admin/tokens)',
        },
        {
          id: 'retention',
          what: `the retention (${months} months)`,
          where_in_implication: 'org setting retention_months (Settings page, admin)',
        },
        {
          id: 'notice',
          what: 'the information notice given to employees',
          where_in_implication: `GET ${orgPath}/privacy/notice?lang=fr|en; dashboard page Privacy`,
        },
      ],
      consultation_date: null,
      consultation_date_step:
        'Implication has no setting for the date of the consultation: record the date of the CSE’s opinion ' +
        'in the org’s own register and on the printed notice, before putting the analyses to use.',
    },
    notice: {
      article: 'Code du travail art. L1222-4',
      rule:
        'No information concerning an employee personally may be collected by a device that was not ' +
        'brought to their prior knowledge: give every employee the notice before collection starts.',
      urls: { fr: `${orgPath}/privacy/notice?lang=fr`, en: `${orgPath}/privacy/notice?lang=en` },
    },
    rights: {
      erasure:
        'DELETE /v1/orgs/:org/people/:id (admin, hr) removes the person everywhere and returns a receipt',
      erased_tables: [...new Set(erasureRules.map((r) => r.table)), ...erasureRebuiltTables],
    },
    audit:
      'every read and export is logged (who, org, report, filters, time); admins query it at GET /v1/admin/audit',
  }
}

/** The DPIA checklist: what the org's assessment must hold, and where Implication implements it. */
function dpiaItems(orgPath: string, k: number, months: number): DpiaItem[] {
  const item = (id: string, section: DpiaItem['section'], what: string, where: string): DpiaItem => ({
    id,
    section,
    what,
    where_in_implication: where,
    status: 'to_do',
  })
  return [
    item(
      'description_processing',
      'description',
      'Systematic description of the processing: the data, their sources, the processing activities, who receives the results',
      `GET ${orgPath}/privacy (data_collected, event_types, activities, roles); dashboard page Privacy`,
    ),
    item(
      'description_purposes',
      'description',
      'The purposes and the legitimate interest pursued',
      `GET ${orgPath}/privacy (purposes, lawful_basis)`,
    ),
    item(
      'necessity_minimisation',
      'necessity',
      'Necessity and proportionality: only the events needed to measure adoption, aggregates by default, person lists limited to admin and opted-in community managers',
      'register activities and roles; org setting named_lists_for_community_managers (Settings page)',
    ),
    item(
      'necessity_retention',
      'necessity',
      `Retention limited to what the purposes need (now ${months} months)`,
      'org setting retention_months (Settings page, admin)',
    ),
    item(
      'necessity_information',
      'necessity',
      'Information of the employees and consultation of the works council',
      `GET ${orgPath}/privacy/notice?lang=fr|en; register works_council`,
    ),
    item(
      'necessity_rights',
      'necessity',
      'How people exercise their rights: access, rectification, erasure, objection',
      'DELETE /v1/orgs/:org/people/:id (admin, hr); the notice names the DPO contact',
    ),
    item(
      'risk_monitoring',
      'risks',
      'Risk to the rights and freedoms of employees: individual monitoring or evaluation from their activity, and the chilling effect of feeling watched',
      'register roles (exec and hr get counts only) and lawful_basis.balancing_test',
    ),
    item(
      'risk_reidentification',
      'risks',
      'Risk of re-identifying a person from a small group, a narrow filter or differences between published numbers',
      'register thresholds',
    ),
    item(
      'risk_ties',
      'risks',
      'Risk of exposing who interacts with whom (influence ties) or one person’s email habits (email event study)',
      'register activities influence_ties and email_event_study',
    ),
    item(
      'risk_access',
      'risks',
      'Risk of unauthorised access to the analyses or of a leaked token',
      'API tokens, hashed and revocable (POST, GET, DELETE /v1/admin/tokens); docs/SECURITY.md',
    ),
    item(
      'measure_k',
      'measures',
      `Minimum group size k (${k}) with grid-consistent complementary suppression`,
      'org setting min_group_size (Settings page, admin); answer header x-implication-small-groups',
    ),
    item(
      'measure_filters',
      'measures',
      `Filters selecting fewer than ${k} people refused (403)`,
      'every /v1/orgs/:org/metrics/* and /v1/orgs/:org/exports/* route, the CLI export and the dashboard',
    ),
    item(
      'measure_pseudonyms',
      'measures',
      'Pseudonymisation of the ids at ingest',
      'org setting pseudonymise_ids (Settings page, admin); key IMPLICATION_PSEUDONYM_KEY kept outside the store',
    ),
    item(
      'measure_roles',
      'measures',
      'Role separation: admin, exec, hr, community_manager, ingest, metrics',
      'API tokens (POST /v1/admin/tokens); the access table of docs/SECURITY.md',
    ),
    item('measure_audit', 'measures', 'Audit log of every read and export', 'GET /v1/admin/audit (admin)'),
    item(
      'measure_erasure',
      'measures',
      'Erasure of a person everywhere, with a receipt',
      'DELETE /v1/orgs/:org/people/:id (admin, hr)',
    ),
    item(
      'measure_retention',
      'measures',
      'Retention TTL: events and rollups dropped past the retention',
      'org setting retention_months; ClickHouse TTL and the hourly retention sweep',
    ),
  ]
}

/** The route of the printable employee information notice. */
export const noticeRoute = '/v1/orgs/:org/privacy/notice'

/** Text made safe for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;')
}

interface NoticeSection {
  title: string
  paragraphs?: string[]
  items?: string[]
  /** Rows of two cells: who, what they see. */
  table?: { head: [string, string]; rows: [string, string][] }
  /** A paragraph after the list and the table. */
  note?: string
  /** Lines left blank, to fill in by hand before printing. */
  blanks?: string[]
}

interface NoticeText {
  title: string
  subtitle: string
  meta: (org: string, date: string) => string[]
  printHint: string
  sections: NoticeSection[]
  footer: string
}

/** The notice's text in one language, from the org's settings. */
function noticeText(lang: NoticeLanguage, s: OrgSettings): NoticeText {
  const k = s.min_group_size
  const months = s.retention_months
  const named = s.named_lists_for_community_managers
  if (lang === 'fr') {
    return {
      title: 'Information des salariés : mesure de l’adoption de la plateforme collaborative',
      subtitle:
        'Notice d’information préalable (article L1222-4 du Code du travail ; articles 13 et 14 du RGPD)',
      meta: (org, date) => [`Organisation : ${org}`, `Notice établie le ${date}`],
      printHint: 'Pour l’imprimer ou l’enregistrer en PDF : menu Imprimer du navigateur (Ctrl+P, ⌘P).',
      sections: [
        {
          title: 'Responsable du traitement',
          paragraphs: [
            'Votre employeur, qui a déployé la plateforme collaborative, mesure son adoption avec l’outil Implication.',
          ],
          blanks: ['Raison sociale et adresse de l’employeur :'],
        },
        {
          title: 'Pourquoi',
          items: [
            'Mesurer l’adoption de la plateforme : qui l’adopte, à quel rythme, quelles fonctionnalités.',
            'Piloter les communautés et la collaboration entre services et sites.',
            'Estimer, en agrégé, le retour de la plateforme (temps gagné, e-mails évités).',
            'Assurer la sécurité et la traçabilité des accès à ces analyses.',
          ],
          note: 'Ces données ne servent à aucune évaluation individuelle : ni appréciation, ni rémunération, ni sanction.',
        },
        {
          title: 'Quelles données',
          items: [
            'Vos actions sur la plateforme : type d’action, fonctionnalité, date et heure, espace, et la personne visée par une invitation, une mention ou une attribution.',
            'Le nombre d’e-mails que vous envoyez par jour (jamais leur contenu), pour estimer si l’adoption change ce nombre.',
            'Votre fiche du référentiel RH : identifiant, service, site, manager, dates d’entrée et de sortie.',
          ],
        },
        {
          title: 'Base légale',
          paragraphs: [
            'L’intérêt légitime de l’employeur (article 6, paragraphe 1, f du RGPD) : mesurer l’adoption d’un outil qu’il a déployé. Le consentement n’est pas la base retenue : dans la relation de travail, il ne peut pas être considéré comme libre.',
          ],
        },
        {
          title: 'Analyses faites',
          items: [
            `Des agrégats d’adoption et d’engagement, publiés seulement pour des groupes d’au moins ${k} personnes.`,
            'Une étude des e-mails avant et après l’adoption de chaque personne, comparée aux personnes qui n’ont pas adopté : publiée seulement en agrégé.',
            'Les liens d’influence (qui a invité, mentionné ou attribué une tâche à qui), pour savoir si les collègues entraînent l’adoption.',
            'Des listes de personnes (adoptants, relais, membres d’un segment), avec des jours, jamais des heures.',
          ],
        },
        {
          title: 'Qui voit quoi',
          table: {
            head: ['Rôle', 'Ce qu’il voit'],
            rows: [
              [
                'Administrateur de l’outil',
                'Tout, petits groupes compris ; les listes de personnes ; gère les accès, les effacements et le journal d’audit.',
              ],
              [
                'Direction',
                `Des chiffres de groupes d’au moins ${k} personnes ; jamais de liste de personnes.`,
              ],
              [
                'Ressources humaines',
                `Des chiffres et exports de groupes d’au moins ${k} personnes ; jamais de liste de personnes ; peut demander un effacement.`,
              ],
              [
                'Animateurs de communauté',
                `Des chiffres de groupes d’au moins ${k} personnes ; ${
                  named
                    ? 'les listes de personnes, avec les noms (activé par l’organisation).'
                    : 'pas de liste de personnes (l’organisation ne l’a pas activé).'
                }`,
              ],
            ],
          },
        },
        {
          title: 'Protections',
          items: [
            `Taille minimale de groupe : ${k} personnes. Un groupe plus petit est masqué, ainsi que d’autres cases si besoin, pour qu’aucun chiffre masqué ne se déduise des chiffres publiés ; un filtre qui sélectionne moins de ${k} personnes est refusé.`,
            s.pseudonymise_ids
              ? 'Pseudonymisation : votre identifiant est remplacé par un pseudonyme dès la réception, avant tout enregistrement.'
              : 'Pseudonymisation : non activée ; les identifiants sont ceux de la plateforme, les noms n’apparaissent que dans les listes décrites ci-dessus.',
            'Chaque lecture et chaque export des analyses est journalisé (qui, quand, quel rapport).',
          ],
        },
        {
          title: 'Durée de conservation',
          paragraphs: [
            `Vos actions sont conservées ${months} mois, puis supprimées automatiquement, avec les chiffres calculés à partir d’elles.`,
          ],
        },
        {
          title: 'Vos droits',
          items: [
            'Accès : obtenir les données vous concernant.',
            'Rectification : faire corriger des données inexactes.',
            'Effacement : faire supprimer vos données, partout.',
            'Opposition : vous opposer au traitement pour des raisons tenant à votre situation particulière.',
            'Vous pouvez aussi adresser une réclamation à la CNIL (www.cnil.fr).',
          ],
          blanks: ['Pour exercer vos droits, contactez le délégué à la protection des données (DPO) :'],
        },
        {
          title: 'Consultation du comité social et économique',
          paragraphs: [
            'Le CSE a été informé et consulté sur ce dispositif avant sa mise en œuvre (article L2312-38 du Code du travail).',
          ],
          blanks: ['Date de la consultation du CSE :'],
        },
      ],
      footer: 'Notice établie à partir des paramètres réels de l’organisation dans Implication.',
    }
  }
  return {
    title: 'Employee information notice: measuring the adoption of the collaboration platform',
    subtitle: 'Prior information (French Labour Code art. L1222-4; GDPR art. 13 and 14)',
    meta: (org, date) => [`Organisation: ${org}`, `Notice issued on ${date}`],
    printHint: 'To print it or save it as PDF: the browser’s Print menu (Ctrl+P, ⌘P).',
    sections: [
      {
        title: 'Controller',
        paragraphs: [
          'Your employer, who deployed the collaboration platform, measures its adoption with the Implication tool.',
        ],
        blanks: ['Name and address of the employer:'],
      },
      {
        title: 'Why',
        items: [
          'Measure the adoption of the platform: who adopts it, how fast, which features.',
          'Steer communities and collaboration across departments and sites.',
          'Estimate, in aggregate, the return on the platform (time saved, emails avoided).',
          'Keep access to these analyses secure and accountable.',
        ],
        note: 'These data are never used to evaluate anyone: no appraisal, pay or disciplinary decision.',
      },
      {
        title: 'What data',
        items: [
          'Your actions on the platform: type of action, feature, date and time, space, and the person an invitation, a mention or an assignment targets.',
          'How many emails you send per day (never their content), to estimate whether adoption changes that number.',
          'Your HR roster record: id, department, site, manager, hire and leave dates, whether you animate communities.',
        ],
      },
      {
        title: 'Lawful basis',
        paragraphs: [
          'The legitimate interest of the employer (GDPR art. 6(1)(f)): measuring the adoption of a tool it deployed. Consent is not the basis: in employment it cannot be considered freely given.',
        ],
      },
      {
        title: 'Analyses made',
        items: [
          `Adoption and engagement aggregates, published only for groups of at least ${k} people.`,
          'A study of each person’s emails before and after they adopted, compared with people who did not adopt: published only in aggregate.',
          'Influence ties (who invited, mentioned or assigned a task to whom), to learn whether colleagues drive adoption.',
          'Lists of people (adopters, champions, members of a segment), with days, never times of day.',
        ],
      },
      {
        title: 'Who sees what',
        table: {
          head: ['Role', 'What they see'],
          rows: [
            [
              'Administrator of the tool',
              'Everything, small groups included; the lists of people; manages access, erasure and the audit log.',
            ],
            ['Executives', `Figures about groups of at least ${k} people; never a list of people.`],
            [
              'Human resources',
              `Figures and exports about groups of at least ${k} people; never a list of people; can request an erasure.`,
            ],
            [
              'Community managers',
              `Figures about groups of at least ${k} people; ${
                named
                  ? 'the lists of people, with names (turned on by the organisation).'
                  : 'no list of people (the organisation has not turned it on).'
              }`,
            ],
          ],
        },
      },
      {
        title: 'Safeguards',
        items: [
          `Minimum group size: ${k} people. A smaller group is withheld, with other cells when needed so that no withheld figure can be worked out from the published ones; a filter selecting fewer than ${k} people is refused.`,
          s.pseudonymise_ids
            ? 'Pseudonymisation: your id is replaced by a pseudonym on receipt, before anything is stored.'
            : 'Pseudonymisation: not turned on; ids are the platform’s, names appear only in the lists described above.',
          'Every read and export of the analyses is logged (who, when, which report).',
        ],
      },
      {
        title: 'How long',
        paragraphs: [
          `Your actions are kept ${months} months, then deleted automatically, with the figures computed from them.`,
        ],
      },
      {
        title: 'Your rights',
        items: [
          'Access: obtain the data about you.',
          'Rectification: have inaccurate data corrected.',
          'Erasure: have your data deleted, everywhere.',
          'Objection: object to the processing on grounds relating to your particular situation.',
          'You may also lodge a complaint with the CNIL (www.cnil.fr).',
        ],
        blanks: ['To exercise your rights, contact the data protection officer (DPO):'],
      },
      {
        title: 'Consultation of the works council',
        paragraphs: [
          'The works council (CSE) was informed and consulted on this device before it was put to use (French Labour Code art. L2312-38).',
        ],
        blanks: ['Date of the CSE consultation:'],
      },
    ],
    footer: 'Notice made from the organisation’s real settings in Implication.',
  }
}

const noticeCss = `
  :root { color-scheme: light; }
  body { margin: 0; background: #f3f4f6; color: #111827;
    font: 15px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; }
  main { max-width: 46rem; margin: 2rem auto; padding: 2.5rem 3rem; background: #fff;
    border-radius: 8px; box-shadow: 0 1px 3px rgb(0 0 0 / 0.12); }
  h1 { font-size: 1.45rem; line-height: 1.3; margin: 0 0 0.3rem; }
  .subtitle { margin: 0 0 1rem; color: #4b5563; }
  .meta { display: flex; flex-wrap: wrap; gap: 0.25rem 1.5rem; margin: 0 0 1.5rem; padding: 0; list-style: none;
    color: #374151; font-size: 0.9rem; }
  .hint { margin: 0 0 1.5rem; padding: 0.6rem 0.8rem; background: #eef2ff; border-radius: 6px; font-size: 0.9rem; }
  h2 { font-size: 1.05rem; margin: 1.4rem 0 0.4rem; padding-bottom: 0.2rem; border-bottom: 1px solid #e5e7eb; }
  p, ul { margin: 0.4rem 0; }
  ul { padding-left: 1.3rem; }
  li { margin: 0.2rem 0; }
  table { width: 100%; border-collapse: collapse; margin: 0.4rem 0; font-size: 0.92rem; }
  th, td { text-align: left; vertical-align: top; padding: 0.35rem 0.5rem; border: 1px solid #d1d5db; }
  th { background: #f9fafb; }
  .note { font-weight: 600; }
  .blank { margin: 0.8rem 0 0.2rem; }
  .blank span { display: block; min-height: 1.6rem; border-bottom: 1px dotted #6b7280; }
  footer { margin-top: 2rem; color: #6b7280; font-size: 0.8rem; }
  @media print {
    @page { size: A4; margin: 16mm 15mm; }
    body { background: #fff; font-size: 10.5pt; }
    main { max-width: none; margin: 0; padding: 0; box-shadow: none; border-radius: 0; }
    .hint { display: none; }
    h2 { break-after: avoid; }
    table, li, .blank { break-inside: avoid; }
    .blank span { min-height: 2rem; }
  }
`

/**
 * The employee information notice of an org (Code du travail L1222-4), a self-contained printable
 * HTML page: inline CSS, no script, no external asset; every value is HTML-escaped.
 */
export function employeeNotice(
  org: string,
  settings: OrgSettings,
  lang: NoticeLanguage,
  now = new Date(),
): string {
  const text = noticeText(lang, settings)
  const e = escapeHtml
  const date = now.toISOString().slice(0, 10)
  const section = (s: NoticeSection): string =>
    [
      `<section><h2>${e(s.title)}</h2>`,
      ...(s.paragraphs ?? []).map((p) => `<p>${e(p)}</p>`),
      s.items ? `<ul>${s.items.map((i) => `<li>${e(i)}</li>`).join('')}</ul>` : '',
      s.table
        ? `<table><thead><tr>${s.table.head.map((h) => `<th scope="col">${e(h)}</th>`).join('')}</tr></thead>` +
          `<tbody>${s.table.rows.map(([who, what]) => `<tr><th scope="row">${e(who)}</th><td>${e(what)}</td></tr>`).join('')}</tbody></table>`
        : '',
      s.note ? `<p class="note">${e(s.note)}</p>` : '',
      ...(s.blanks ?? []).map((b) => `<p class="blank">${e(b)}<span></span></p>`),
      '</section>',
    ].join('\n')
  return [
    '<!doctype html>',
    `<html lang="${e(lang)}">`,
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${e(`${text.title} (${org})`)}</title>`,
    `<style>${noticeCss}</style>`,
    '</head>',
    '<body>',
    '<main>',
    `<h1>${e(text.title)}</h1>`,
    `<p class="subtitle">${e(text.subtitle)}</p>`,
    `<ul class="meta">${text
      .meta(org, date)
      .map((m) => `<li>${e(m)}</li>`)
      .join('')}</ul>`,
    `<p class="hint">${e(text.printHint)}</p>`,
    ...text.sections.map(section),
    `<footer>${e(text.footer)}</footer>`,
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n')
}

export async function privacyRoutes(scope: FastifyInstance, options: PrivacyRoutesOptions): Promise<void> {
  const app = scope.withTypeProvider<ZodTypeProvider>()
  const settingsStore = new SettingsStore(options.client)

  app.get(
    '/v1/orgs/:org/privacy',
    {
      schema: {
        summary: 'The processing register: what is collected, why, how long, who sees what, thresholds',
        tags: ['privacy'],
        params: z.object({ org: orgSchema }),
        response: { 200: processingRegisterResponse },
      },
    },
    async (request) => processingRegister(request.params.org, await settingsStore.get(request.params.org)),
  )

  app.get(
    noticeRoute,
    {
      schema: {
        summary:
          'The employee information notice (Code du travail L1222-4): a printable HTML page from the org’s settings',
        tags: ['privacy'],
        params: z.object({ org: orgSchema }),
        querystring: noticeQuery,
        response: {
          200: {
            description: 'A self-contained printable HTML page (inline CSS, no script, no external asset)',
            content: { 'text/html': { schema: z.string() } },
          },
        },
      },
    },
    async (request, reply) => {
      const { org } = request.params
      const { lang } = request.query
      const html = employeeNotice(org, await settingsStore.get(org), lang)
      return reply
        .type('text/html; charset=utf-8')
        .header('content-disposition', `inline; filename="notice-${org}-${lang}.html"`)
        .send(html)
    },
  )

  app.delete(
    '/v1/orgs/:org/people/:id',
    {
      schema: {
        summary:
          'Erase a person: their events (as actor), their references (as target), roster rows and refusals',
        tags: ['privacy'],
        params: z.object({ org: orgSchema, id: z.string().min(1).max(256) }),
        response: {
          200: z.object({
            receipt_id: z.string(),
            org: z.string(),
            ids_searched: z.number(),
            erased_at: z.string(),
            tables: z.array(
              z.object({ table: z.string(), column: z.string(), action: z.string(), rows: z.number() }),
            ),
            total_rows: z.number(),
          }),
        },
      },
    },
    async (request) => {
      const { org, id } = request.params
      // The id as sent and its pseudonym: the org may have pseudonymised at some point.
      const ids = [id, pseudonymOf(options.pseudonymiser.keyOf(org), id)]
      return erasePerson(options.client, org, ids)
    },
  )

  app.get(
    '/v1/admin/audit',
    {
      schema: {
        summary:
          'The audit log (newest first, the entries of the token’s orgs; page with next_cursor); CSV with Accept: text/csv or format=csv',
        tags: ['admin'],
        querystring: z.strictObject({
          org: orgSchema.optional(),
          from: z.iso.date().optional().describe('first day, inclusive (UTC)'),
          to: z.iso.date().optional().describe('last day, exclusive (UTC)'),
          limit: z.coerce.number().int().min(1).max(100_000).default(1_000),
          cursor: z
            .string()
            .max(2_000)
            .optional()
            .describe('next_cursor of the previous page (CSV: its x-next-cursor header)'),
          format: z.enum(['json', 'csv']).optional(),
        }),
      },
    },
    async (request, reply) => {
      const { org, from, to, limit, cursor, format } = request.query
      // An admin bound to some orgs reads the entries of those orgs only; an org outside them
      // does not exist as far as its token can tell (as on the /v1/orgs/:org routes).
      const scope = request.principal?.orgs ?? []
      if (org && scope !== '*' && !scope.includes(org)) throw new HttpError(404, `no org ${org}`)
      await options.audit.flush()
      const page = await options.audit.query({
        limit,
        ...(org ? { org } : {}),
        ...(scope === '*' ? {} : { orgs: scope }),
        ...(from ? { from: `${from} 00:00:00` } : {}),
        ...(to ? { to: `${to} 00:00:00` } : {}),
        ...(cursor === undefined ? {} : { cursor }),
      })
      if (!page) {
        throw new HttpError(
          400,
          'cursor: not a cursor of this log (pass next_cursor as it was answered)',
          'cursor',
        )
      }
      const rows = page.rows
      const csv =
        format === 'csv' || (format === undefined && String(request.headers.accept).includes('text/csv'))
      if (!csv) return { audit: rows, next_cursor: page.nextCursor }
      if (page.nextCursor) reply.header('x-next-cursor', page.nextCursor)
      const lines = [
        auditColumns.join(','),
        ...rows.map((r) => auditColumns.map((c) => csvCell(r[c])).join(',')),
      ]
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="audit${org ? `-${org}` : ''}.csv"`)
        .send(`${lines.join('\n')}\n`)
    },
  )
}
