/**
 * Abbreviations that end in a full stop, for the sentence splitter.
 *
 * Two kinds, because they behave differently at a full stop:
 * - `title`: always followed by more of the same sentence (a name, a number, a place): "Dr. Budi",
 *   "Jl. Merdeka", "No. 5", "mis. buku". A full stop after them is never a sentence end.
 * - `final`: can close a sentence ("… jeruk, dll. Kemudian …", "PT Astra Tbk. Perusahaan …").
 *   Their full stop ends a sentence only when the next word clearly starts one (capital letter,
 *   opening quote) and is not itself an abbreviation ("Budi, S.H. M.H. Ia …").
 *
 * Lookup is case-sensitive ("No." is a title, a lower-case "no." is not). Entries written all in
 * lower case also match when capitalised or upper-cased ("Dll.", "TGL."), since a sentence may
 * start with them or a headline may shout them.
 */

export type AbbreviationKind = 'title' | 'final';

const TITLE: readonly string[] = [
  // People: titles, forms of address, religious and academic prefixes.
  'Dr.', 'dr.', 'drg.', 'Drs.', 'Dra.', 'Ir.', 'Prof.', 'H.', 'Hj.', 'KH.', 'K.H.', 'Bpk.', 'Bp.',
  'Sdr.', 'Sdri.', 'Sdra.', 'Yth.', 'yth.', 'Tn.', 'Ny.', 'Nn.', 'Mr.', 'Mrs.', 'Ms.', 'St.', 'Pdt.',
  'Rm.', 'Ust.', 'Ustz.', 'Mgr.', 'Sr.', 'Jr.',
  // Military and police ranks.
  'Jend.', 'Jen.', 'Letjen.', 'Mayjen.', 'Brigjen.', 'Kol.', 'Letkol.', 'Mayor.', 'Kapt.', 'Lettu.',
  'Letda.', 'Serka.', 'Sertu.', 'Kopda.', 'Kombes.', 'Kompol.', 'Iptu.', 'Ipda.', 'Aiptu.', 'Bripka.',
  'Brigpol.', 'Irjen.', 'Komjen.', 'Laksda.', 'Laksma.', 'Laksdya.', 'Marsda.', 'Marsma.',
  // Addresses and administrative areas.
  'Jl.', 'Jln.', 'Gg.', 'No.', 'Nmr.', 'Kec.', 'Kab.', 'Kel.', 'Prov.', 'Ds.', 'Kp.', 'Kmp.', 'Perum.',
  'Kav.', 'Lt.', 'Rt.', 'Rw.', 'RT.', 'RW.', 'Telp.', 'Tlp.', 'Faks.', 'Fax.', 'Hp.', 'Ket.',
  // Company prefixes and money.
  'PT.', 'CV.', 'UD.', 'Fa.', 'Pte.', 'Rp.',
  // Abbreviated words that always lead into more of the sentence.
  'a.n.', 'u.p.', 'u.b.', 'd.a.', 's.d.', 'a.l.', 'mis.', 'spt.', 'yg.', 'dgn.', 'utk.', 'krn.', 'thd.',
  'sbg.', 'tgl.', 'hlm.', 'vol.', 'Vol.', 'cet.', 'Cet.', 'ps.', 'Ps.', 'psl.', 'Psl.', 'gbr.', 'Gbr.',
  'tbl.', 'Tbl.', 'vs.', 'cf.', 'bdk.', 'lih.', 'lht.', 'pp.', 'ca.', 'Fig.', 'fig.', 'Sec.', 'Eq.',
  'approx.',
];

const FINAL: readonly string[] = [
  // Enumerations and references that often close a sentence.
  'dll.', 'dsb.', 'dst.', 'dkk.', 'tsb.', 'sbb.', 'etc.', 'al.', 'ed.', 'e.g.', 'i.e.',
  // Company suffixes.
  'Tbk.', 'Ltd.', 'Inc.', 'Corp.', 'Co.', 'Bhd.', 'Plc.',
  // Academic degrees written after a name.
  'S.H.', 'M.H.', 'S.E.', 'M.E.', 'M.M.', 'S.Si.', 'M.Si.', 'M.Sc.', 'B.Sc.', 'S.Kom.', 'M.Kom.', 'S.T.',
  'M.T.', 'S.Pd.', 'M.Pd.', 'S.Ag.', 'M.Ag.', 'S.Sos.', 'M.Sos.', 'S.Psi.', 'M.Psi.', 'S.Ked.',
  'S.Farm.', 'S.Kep.', 'S.Hut.', 'S.P.', 'S.S.', 'S.IP.', 'S.I.Kom.', 'M.Hum.', 'M.Kes.', 'M.A.',
  'B.A.', 'Ph.D.', 'Lc.', 'S.Th.', 'M.Th.', 'Sp.A.', 'Sp.B.', 'Sp.PD.', 'Sp.OG.', 'Sp.JP.', 'Sp.M.',
  'Sp.KJ.', 'Sp.S.',
  // Months (Indonesian and English short forms): "10 Jan. 2022" stays together, a capital after splits.
  'Jan.', 'Feb.', 'Mar.', 'Apr.', 'Jun.', 'Jul.', 'Agu.', 'Agt.', 'Ags.', 'Agust.', 'Aug.', 'Sep.',
  'Sept.', 'Okt.', 'Oct.', 'Nov.', 'Des.', 'Dec.',
];

const EXACT = new Map<string, AbbreviationKind>();
const FOLDED = new Map<string, AbbreviationKind>();
for (const [list, kind] of [
  [FINAL, 'final'],
  [TITLE, 'title'],
] as const) {
  for (const abbr of list) {
    EXACT.set(abbr, kind);
    if (abbr === abbr.toLowerCase()) FOLDED.set(abbr, kind);
  }
}

/** The kind of a known abbreviation, given with its final full stop ("dll."), or undefined. */
export function abbreviationKind(withDot: string): AbbreviationKind | undefined {
  return EXACT.get(withDot) ?? FOLDED.get(withDot.toLowerCase());
}

/** Every known abbreviation, for tests and documentation. */
export const KNOWN_ABBREVIATIONS: readonly string[] = [...TITLE, ...FINAL];
