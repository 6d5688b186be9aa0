/**
 * The ten Huaihai Economic Zone centres (淮海经济区十市住房公积金中心), keyed by GB/T 2260 city code.
 * Their rule parameters live in shared/rules as versioned data; this is only who they are.
 */
export const CITY_CODES = [
  '320300',
  '320700',
  '321300',
  '341300',
  '340600',
  '411400',
  '370400',
  '370800',
  '371300',
  '371700',
] as const;

export type CityCode = (typeof CITY_CODES)[number];

export interface City {
  code: CityCode;
  nameZh: string;
  nameEn: string;
  provinceZh: string;
  provinceEn: string;
}

export const CITIES: Readonly<Record<CityCode, City>> = {
  '320300': { code: '320300', nameZh: '徐州', nameEn: 'Xuzhou', provinceZh: '江苏', provinceEn: 'Jiangsu' },
  '320700': {
    code: '320700',
    nameZh: '连云港',
    nameEn: 'Lianyungang',
    provinceZh: '江苏',
    provinceEn: 'Jiangsu',
  },
  '321300': { code: '321300', nameZh: '宿迁', nameEn: 'Suqian', provinceZh: '江苏', provinceEn: 'Jiangsu' },
  // 宿州 (Anhui) and 苏州 (Jiangsu) are both "Suzhou": the province is always shown with it.
  '341300': {
    code: '341300',
    nameZh: '宿州',
    nameEn: 'Suzhou (Anhui)',
    provinceZh: '安徽',
    provinceEn: 'Anhui',
  },
  '340600': { code: '340600', nameZh: '淮北', nameEn: 'Huaibei', provinceZh: '安徽', provinceEn: 'Anhui' },
  '411400': { code: '411400', nameZh: '商丘', nameEn: 'Shangqiu', provinceZh: '河南', provinceEn: 'Henan' },
  '370400': {
    code: '370400',
    nameZh: '枣庄',
    nameEn: 'Zaozhuang',
    provinceZh: '山东',
    provinceEn: 'Shandong',
  },
  '370800': { code: '370800', nameZh: '济宁', nameEn: 'Jining', provinceZh: '山东', provinceEn: 'Shandong' },
  '371300': { code: '371300', nameZh: '临沂', nameEn: 'Linyi', provinceZh: '山东', provinceEn: 'Shandong' },
  '371700': { code: '371700', nameZh: '菏泽', nameEn: 'Heze', provinceZh: '山东', provinceEn: 'Shandong' },
};

export function isCityCode(value: string): value is CityCode {
  return (CITY_CODES as readonly string[]).includes(value);
}
