// The stand-in's English names: the synthetic register holds Thai names only, DOPA's card has both.
// Royal Thai General System romanisations of every name the generator uses.
export const ROMAN: Readonly<Record<string, string>> = {
  สมชาย: 'Somchai', สมศักดิ์: 'Somsak', ประเสริฐ: 'Prasoet', วิชัย: 'Wichai', สุรชัย: 'Surachai', อนุชา: 'Anucha', ธนากร: 'Thanakon',
  กิตติพงษ์: 'Kittiphong', ณัฐพล: 'Nattaphon', พงศกร: 'Phongsakon', ชัยวัฒน์: 'Chaiwat', บุญมี: 'Bunmi', ประยูร: 'Prayun', สุเมธ: 'Sumet', อดิศักดิ์: 'Adisak',
  สมหญิง: 'Somying', มาลี: 'Mali', สุดารัตน์: 'Sudarat', วันเพ็ญ: 'Wanphen', กาญจนา: 'Kanchana', ปิยะนุช: 'Piyanut', ศิริพร: 'Siriphon', รัตนา: 'Rattana',
  จันทร์เพ็ญ: 'Chanphen', อรุณี: 'Aruni', นงลักษณ์: 'Nonglak', พิมพ์ชนก: 'Phimchanok', ณัฐธิดา: 'Natthida', ธิดารัตน์: 'Thidarat', บุษบา: 'Butsaba',
  ใจดี: 'Jaidee', ศรีสุข: 'Srisuk', รักษ์สุขภาพ: 'Raksukkhaphap', สุขสวัสดิ์: 'Suksawat', แก้วมณี: 'Kaewmanee', บุญประเสริฐ: 'Bunprasoet', ทองดี: 'Thongdee',
  พรหมมา: 'Phromma', จันทร์หอม: 'Chanhom', วงศ์สวัสดิ์: 'Wongsawat', สมบูรณ์ชัย: 'Sombunchai', ชัยมงคล: 'Chaimongkhon', ปัญญาดี: 'Panyadee', ศรีวงศ์: 'Sriwong',
  มั่นคง: 'Mankhong', เพชรรัตน์: 'Phetcharat', อินทร์แก้ว: 'Inkaew', ภูมิใจ: 'Phumjai',
};

export const TITLE_EN: Readonly<Record<string, string>> = { นาย: 'Mr.', นาง: 'Mrs.', นางสาว: 'Miss', เด็กชาย: 'Master', เด็กหญิง: 'Miss' };

/** A name the table lacks (a register file from elsewhere) is left out rather than guessed. */
export const roman = (thai: string): string | undefined => ROMAN[thai];
