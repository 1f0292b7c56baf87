/**
 * Invented names for the demo city: people from common surnames and given-name characters, villages
 * and compounds from common patterns, schools from the usual naming of Henan schools. Every place
 * and school name carries the visible mark （示例） so that nobody mistakes it for a real one.
 */
import { cumulative, type Rng } from './prng.ts';

export const DEMO_MARK = '（示例）';

// Surnames weighted roughly by their frequency in Henan (per mille, rounded).
const SURNAMES: [string, number][] = [
  ['王', 75],
  ['李', 72],
  ['张', 70],
  ['刘', 55],
  ['陈', 30],
  ['杨', 28],
  ['赵', 25],
  ['黄', 12],
  ['周', 18],
  ['吴', 10],
  ['徐', 14],
  ['孙', 18],
  ['胡', 12],
  ['朱', 15],
  ['高', 16],
  ['林', 5],
  ['何', 8],
  ['郭', 16],
  ['马', 14],
  ['罗', 6],
  ['梁', 7],
  ['宋', 12],
  ['郑', 10],
  ['谢', 6],
  ['韩', 9],
  ['唐', 5],
  ['冯', 8],
  ['于', 7],
  ['董', 8],
  ['程', 8],
  ['曹', 8],
  ['袁', 6],
  ['邓', 5],
  ['许', 9],
  ['沈', 4],
  ['彭', 5],
  ['吕', 6],
  ['苏', 6],
  ['卢', 5],
  ['蒋', 4],
  ['蔡', 5],
  ['贾', 8],
  ['丁', 6],
  ['魏', 7],
  ['薛', 5],
  ['叶', 3],
  ['阎', 4],
  ['潘', 4],
  ['杜', 7],
  ['夏', 4],
  ['田', 7],
  ['任', 6],
  ['姜', 5],
  ['范', 6],
  ['方', 4],
  ['石', 5],
  ['姚', 5],
  ['金', 3],
  ['郝', 4],
  ['孔', 4],
  ['白', 4],
  ['崔', 5],
  ['康', 3],
  ['毛', 3],
  ['秦', 3],
  ['史', 4],
  ['侯', 5],
  ['邵', 3],
  ['孟', 5],
  ['段', 4],
  ['雷', 3],
  ['尹', 3],
  ['常', 4],
  ['武', 5],
  ['乔', 4],
  ['贺', 3],
  ['牛', 4],
  ['闫', 5],
  ['申', 3],
  ['翟', 3],
  ['付', 4],
  ['葛', 3],
  ['耿', 2],
  ['岳', 2],
  ['聂', 2],
  ['楚', 1],
];
const SURNAME_CUM = cumulative(SURNAMES.map((s) => s[1]));

const BOY_CHARS = [
  ...'浩宇轩子梓博文一泽睿俊宸明涵然辰杰豪铭航晨鑫磊阳昊天嘉逸诚凯翔瑞锦奕恒哲煜皓峻毅彬鹏乐安家源',
];
const GIRL_CHARS = [...'欣怡梓涵雨萱诗一诺可馨佳琪思语梦婷悦彤晨紫嘉若雅瑶静妍菲晴璐蕾沐钰安宁月心依冉'];
const MAN_CHARS = [...'伟强军磊勇涛杰斌超明刚平辉鹏华飞鑫波宁建国永海峰志亮东旭振林兵松'];
const WOMAN_CHARS = [...'丽娟敏静艳芳娜霞玲燕丹萍红洁琳慧颖雪倩婷晶莉娅璐梅兰凤英秀云'];

export function surname(rng: Rng): string {
  return SURNAMES[rng.pickCumulative(SURNAME_CUM)][0];
}

/** A child's name (born 2005–2022) or an adult's; sex 'M' or 'F'. */
export function personName(rng: Rng, sex: 'M' | 'F', adult: boolean): string {
  const chars = adult ? (sex === 'M' ? MAN_CHARS : WOMAN_CHARS) : sex === 'M' ? BOY_CHARS : GIRL_CHARS;
  const single = rng.chance(adult ? 0.4 : 0.22);
  const a = chars[Math.floor(rng.next() * chars.length)];
  if (single) return surname(rng) + a;
  let b = chars[Math.floor(rng.next() * chars.length)];
  if (b === a && rng.chance(0.7)) b = chars[Math.floor(rng.next() * chars.length)];
  return surname(rng) + a + b;
}

const VILLAGE_PREFIX = ['', '', '', '大', '小', '前', '后', '东', '西', '南', '北'];
const VILLAGE_SUFFIX = [...'庄楼集营寨店桥湾屯岗口园洼堂庙寺堤坊'];

/** An invented village name like 前王庄 (without 村). */
export function villageName(rng: Rng): string {
  return rng.pick(VILLAGE_PREFIX) + surname(rng) + rng.pick(VILLAGE_SUFFIX);
}

const COMPOUND_WORDS = [
  '锦绣',
  '阳光',
  '幸福',
  '和谐',
  '书香',
  '梧桐',
  '凤凰',
  '明珠',
  '东方',
  '世纪',
  '翡翠',
  '金桂',
  '银杏',
  '丽景',
  '御景',
  '滨河',
  '湖畔',
  '南湖',
  '文昌',
  '春晖',
  '清风',
  '紫荆',
  '香樟',
  '玉兰',
  '桃源',
  '青年',
  '学府',
  '悦城',
  '和园',
  '泰和',
  '嘉禾',
  '丰华',
  '景苑',
  '兴业',
  '安居',
  '康乐',
  '长安',
  '新月',
];
const COMPOUND_SUFFIX = ['花园', '家园', '小区', '苑', '新城', '公馆', '名邸', '雅居', '华庭', '里'];

export function compoundName(rng: Rng): string {
  return rng.pick(COMPOUND_WORDS) + rng.pick(COMPOUND_SUFFIX);
}

const STREET_WORDS = [
  '东关',
  '西关',
  '南关',
  '北关',
  '新华',
  '人民',
  '民主',
  '育才',
  '府前',
  '光明',
  '文化',
  '建设',
];
export function townCommunityName(rng: Rng): string {
  return `${rng.pick(STREET_WORDS)}社区`;
}

const ROAD_WORDS = [
  '文化',
  '建设',
  '人民',
  '解放',
  '民主',
  '团结',
  '和平',
  '育才',
  '学苑',
  '振兴',
  '光明',
  '新华',
  '长江',
  '黄河',
  '华夏',
  '凯旋',
  '府前',
  '中州',
  '平安',
  '青年',
  '胜利',
  '迎宾',
  '花园',
  '运河',
];
export function roadName(rng: Rng): string {
  return `${rng.pick(ROAD_WORDS)}${rng.pick(['路', '路', '街', '大道'])}`;
}

export const SCHOOL_BRANDS = [
  '育才',
  '博雅',
  '明德',
  '英才',
  '启航',
  '华夏',
  '求实',
  '致远',
  '立人',
  '弘毅',
  '博文',
  '崇德',
  '思源',
  '汇文',
  '正则',
  '新星',
  '睿智',
  '智华',
  '卓越',
  '精英',
  '文昌',
  '龙门',
  '鸿志',
  '铭远',
];
export const KINDERGARTEN_BRANDS = [
  '小太阳',
  '童心',
  '贝贝',
  '金色摇篮',
  '蓝天',
  '七彩',
  '春苗',
  '小天使',
  '快乐宝贝',
  '爱心',
  '星星',
  '阳光宝贝',
  '童话',
  '小博士',
  '新苗',
  '开心',
  '小花朵',
  '彩虹',
  '启蒙',
  '乐乐',
  '苗苗',
  '未来星',
];

/** Chinese numerals for ordinals in school names: 第一 … 第九十九. */
export function ordinal(n: number): string {
  const d = '零一二三四五六七八九';
  if (n < 10) return d[n];
  if (n < 20) return `十${n % 10 ? d[n % 10] : ''}`;
  return `${d[Math.floor(n / 10)]}十${n % 10 ? d[n % 10] : ''}`;
}

/** 谢集镇 → 谢集; 城关回族镇 → 城关; 平原街道 → 平原 (for village-school names). */
export function shortTownship(name: string): string {
  return name.replace(/(回族镇|街道|镇|乡|农场|林场)$/, '') || name;
}
