/**
 * 学科: the subjects of full-time teachers in the census and in the teacher register, stored by key,
 * with their Chinese and English names and the other names bureaus' spreadsheets use.
 */
export const SUBJECTS = {
  preschool: { zh: '学前教育', en: 'Pre-school', aliases: ['幼儿教育', '幼教'] },
  chinese: { zh: '语文', en: 'Chinese' },
  math: { zh: '数学', en: 'Mathematics' },
  english: { zh: '英语', en: 'English', aliases: ['外语'] },
  ethics: {
    zh: '道德与法治',
    en: 'Morality and law',
    aliases: ['道法', '品德与生活', '品德与社会', '思想品德'],
  },
  politics: { zh: '思想政治', en: 'Politics', aliases: ['政治'] },
  history: { zh: '历史', en: 'History' },
  geography: { zh: '地理', en: 'Geography' },
  physics: { zh: '物理', en: 'Physics' },
  chemistry: { zh: '化学', en: 'Chemistry' },
  biology: { zh: '生物', en: 'Biology', aliases: ['生物学'] },
  science: { zh: '科学', en: 'Science' },
  pe: { zh: '体育与健康', en: 'PE and health', aliases: ['体育'] },
  music: { zh: '音乐', en: 'Music' },
  art: { zh: '美术', en: 'Art' },
  it: { zh: '信息科技', en: 'IT', aliases: ['信息技术', '计算机'] },
  mental_health: { zh: '心理健康', en: 'Mental health', aliases: ['心理健康教育', '心理'] },
  vocational: { zh: '专业课', en: 'Vocational subjects', aliases: ['职业教育专业课'] },
  special_education: { zh: '特殊教育', en: 'Special education', aliases: ['特教'] },
  other: { zh: '其他', en: 'Other' },
} as const satisfies Record<string, { zh: string; en: string; aliases?: readonly string[] }>;

export type Subject = keyof typeof SUBJECTS;
export const SUBJECT_KEYS = Object.keys(SUBJECTS) as Subject[];
