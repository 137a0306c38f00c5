/**
 * ISO 639 language codes accepted as the primary subtag of a SCORM 2004 `language_type`.
 *
 * Generated from the Debian `iso-codes` package (`iso_639-2.json`): every ISO 639-1 alpha-2 code and
 * every ISO 639-2 alpha-3 code, terminological and bibliographic. The codes that ISO 639 withdrew
 * after SCORM 2004 was published (`mo`, `mol`, `scc`, `scr`) are kept because content written for
 * it still sends them; `qaa`-`qtz` (reserved for local use) are checked by range in the validator.
 * The tables are sorted, fixed-width and unseparated: a lookup is a binary search over character
 * codes, with no allocation and no start-up cost.
 *
 * @see SCORM 2004 4th Edition RTE 4.1.1 language_type (RFC 3066 primary subtags)
 */

/** 185 ISO 639-1 codes, lower case, sorted, two characters each. */
const ALPHA_2 =
  'aaabaeafakamanarasavayazbabebgbhbibmbnbobrbscacechcocrcscucvcydadedvdzeeeleneoeseteufafffifjfofrfyga' +
  'gdglgngugvhahehihohrhthuhyhziaidieigiiikioisitiujajvkakgkikjkkklkmknkokrkskukvkwkylalblglilnloltlulv' +
  'mgmhmimkmlmnmomrmsmtmynanbndnengnlnnnonrnvnyocojomorospapiplpsptqurmrnrorurwsascsdsesgsiskslsmsnsosq' +
  'srssstsusvswtatetgthtitktltntotrtstttwtyugukuruzvevivowawoxhyiyozazhzu';

/** 509 ISO 639-2 codes (B and T), lower case, sorted, three characters each. */
const ALPHA_3 =
  'aarabkaceachadaadyafaafhafrainakaakkalbalealgaltamhanganpapaaraarcargarmarnarpartarwasmastathausavaa' +
  'veawaaymazebadbaibakbalbambanbaqbasbatbejbelbembenberbhobihbikbinbisblabntbodbosbrabrebtkbuabugbulbu' +
  'rbyncadcaicarcatcaucebcelceschachbchechgchichkchmchnchochpchrchuchvchycmccnrcopcorcoscpecpfcppcrecrh' +
  'crpcsbcuscymczedakdandardaydeldendeudgrdindivdoidradsbduadumdutdyudzoefiegyekaellelxengenmepoesteuse' +
  'weewofanfaofasfatfijfilfinfiufonfrafrefrmfrofrrfrsfryfulfurgaagaygbagemgeogergezgilglagleglgglvgmhgo' +
  'hgongorgotgrbgrcgregrngswgujgwihaihathauhawhebherhilhimhinhithmnhmohrvhsbhunhuphyeibaiboiceidoiiiijo' +
  'ikuileiloinaincindineinhipkirairoislitajavjbojpnjprjrbkaakabkackalkamkankarkaskatkaukawkazkbdkhakhik' +
  'hmkhokikkinkirkmbkokkomkonkorkoskpekrckrlkrokrukuakumkurkutladlahlamlaolatlavlezlimlinlitlollozltzlu' +
  'alublugluilunluolusmacmadmagmahmaimakmalmanmaomapmarmasmaymdfmdrmenmgamicminmismkdmkhmlgmltmncmnimno' +
  'mohmolmonmosmrimsamulmunmusmwlmwrmyamynmyvnahnainapnaunavnblndendondsnepnewnianicniunldnnonobnognonn' +
  'ornqonsonubnwcnyanymnynnyonziociojioriormosaossotaotopaapagpalpampanpappaupeoperphiphnplipolponporpr' +
  'apropusquerajraprarroarohromronrumrunruprussadsagsahsaisalsamsansassatsccscnscoscrselsemsgasgnshnsid' +
  'sinsiositslaslksloslvsmasmesmismjsmnsmosmssnasndsnksogsomsonsotspasqisrdsrnsrpsrrssasswsuksunsussuxs' +
  'waswesycsyrtahtaitamtatteltemtertettgktglthatibtigtirtivtkltlhtlitmhtogtontpitsitsntsotuktumtupturtu' +
  'ttvltwityvudmugauigukrumbundurduzbvaivenvievolvotwakwalwarwaswelwenwlnwolxalxhoyaoyapyidyorypkzapzbl' +
  'zenzghzhazhozndzulzunzxxzza';

/** Binary search of `value[start, start + width)`, compared case-insensitively, in `table`. */
function hasCode(table: string, width: number, value: string, start: number): boolean {
  let lo = 0;
  let hi = table.length / width - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    let cmp = 0;
    for (let k = 0; k < width && cmp === 0; k++) {
      // callers pass letters only, so setting 0x20 lower-cases
      cmp = (value.charCodeAt(start + k) | 0x20) - table.charCodeAt(mid * width + k);
    }
    if (cmp === 0) return true;
    if (cmp < 0) hi = mid - 1;
    else lo = mid + 1;
  }
  return false;
}

/** True when the two letters at `start` are an ISO 639-1 code (any case). */
export function isIso639Alpha2(value: string, start: number): boolean {
  return hasCode(ALPHA_2, 2, value, start);
}

/** True when the three letters at `start` are an ISO 639-2 code (any case). */
export function isIso639Alpha3(value: string, start: number): boolean {
  return hasCode(ALPHA_3, 3, value, start);
}
