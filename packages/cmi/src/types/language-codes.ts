/**
 * ISO 639 language codes accepted as the primary subtag of a SCORM 2004 `language_type`.
 *
 * Generated from the Debian `iso-codes` package (`iso_639-2.json`): every ISO 639-1 alpha-2 code and
 * every ISO 639-2 alpha-3 code, terminological and bibliographic. The codes that ISO 639 withdrew
 * after SCORM 2004 was published (`mo`, `mol`, `scc`, `scr`) are kept because content written for
 * it still sends them; `qaa`-`qtz` (reserved for local use) are checked by range in the validator.
 * The tables list the codes grouped by all letters but the last: each comma-separated group is
 * that prefix followed by the last letters of its codes (`aabe` is `aa`, `ab`, `ae`). They are
 * expanded into sets on first use.
 *
 * @see SCORM 2004 4th Edition RTE 4.1.1 language_type (RFC 3066 primary subtags)
 */

/** 185 ISO 639-1 codes, lower case, grouped by their first letter. */
const ALPHA_2 =
  'aabefkmnrsvyz,baeghimnors,caehorsuvy,daevz,eelnostu,fafijory,gadlnuv,haeiortuyz,iadegikostu,' +
  'jav,kagijklmnorsuvwy,labginotuv,mghiklnorsty,nabdeglnorvy,ocjmrs,pailst,qu,rmnouw,' +
  'sacdegiklmnoqrstuvw,taeghiklnorstwy,ugkrz,veio,wao,xh,yio,zahu';

/** 509 ISO 639-2 codes (B and T), lower case, grouped by their first two letters. */
const ALPHA_3 =
  'aar,abk,aceh,aday,afahr,ain,akak,albegt,amh,angp,apa,aracgmnptw,asmt,ath,aus,avae,awa,aym,aze,' +
  'badiklmnqst,bejlmnr,bho,bihkns,bla,bnt,bods,brae,btk,buaglr,byn,cadirtu,cebls,chabegikmnopruvy,' +
  'cmc,cnr,coprs,cpefp,crehp,csb,cus,cym,cze,daknry,delnu,dgr,dinv,doi,dra,dsb,duamt,dyu,dzo,efi,' +
  'egy,eka,ellx,engm,epo,est,eus,eweo,fanost,fijlnu,fon,fraemorsy,fulr,gaay,gba,gemorz,gil,glaegv,' +
  'gmh,gohnrt,grbcen,gsw,guj,gwi,haituw,hebr,hilmnt,hmno,hrv,hsb,hunp,hye,ibao,ice,ido,iii,ijo,' +
  'iku,ileo,inacdeh,ipk,irao,isl,ita,jav,jbo,jpnr,jrb,kaabclmnrstuwz,kbd,khaimo,kiknr,kmb,kokmnrs,' +
  'kpe,krclou,kuamrt,ladhmotv,lez,limnt,lolz,ltz,luabginos,macdghiklnoprsy,mdfr,men,mga,micns,' +
  'mkdh,mlgt,mncio,mohlns,mri,msa,mulns,mwlr,myanv,nahipuv,nbl,ndeos,nepw,niacu,nld,nno,nobgnr,' +
  'nqo,nso,nub,nwc,nyamno,nzi,oci,oji,orim,osas,otao,paaglmnpu,peor,phin,pli,polnr,prao,pus,que,' +
  'rajpr,roahmn,rumnps,sadghilmnst,sccnor,selm,sgan,shn,sidnot,slakov,smaeijnos,snadk,sogmnt,spa,' +
  'sqi,srdnpr,ssaw,suknsx,swae,sycr,tahimt,telmrt,tgkl,tha,tibgrv,tkl,tlhi,tmh,togn,tpi,tsino,' +
  'tukmprt,tvl,twi,tyv,udm,uga,uig,ukr,umb,und,urd,uzb,vai,ven,vie,volt,waklrs,weln,wln,wol,xal,' +
  'xho,yaop,yid,yor,ypk,zap,zbl,zen,zgh,zhao,znd,zuln,zxx,zza';

/** The codes a table lists. */
function expand(table: string, width: number): Set<string> {
  const codes = new Set<string>();
  for (const group of table.split(',')) {
    for (let i = width - 1; i < group.length; i++) codes.add(group.slice(0, width - 1) + group[i]);
  }
  return codes;
}

let alpha2: Set<string> | undefined;
let alpha3: Set<string> | undefined;

/** True when the two letters at `start` are an ISO 639-1 code (any case). */
export function isIso639Alpha2(value: string, start: number): boolean {
  alpha2 ??= expand(ALPHA_2, 2);
  return alpha2.has(value.slice(start, start + 2).toLowerCase());
}

/** True when the three letters at `start` are an ISO 639-2 code (any case). */
export function isIso639Alpha3(value: string, start: number): boolean {
  alpha3 ??= expand(ALPHA_3, 3);
  return alpha3.has(value.slice(start, start + 3).toLowerCase());
}
