/** Crafted news pages for the HTML tests: one feature each, Indonesian text long enough to read as an article. */

const FILLER =
  'Pemerintah daerah menyatakan bahwa pembangunan jalan baru di Jawa Barat akan dimulai pada awal tahun depan, ' +
  'dengan anggaran yang telah disetujui oleh dewan perwakilan rakyat daerah setelah pembahasan yang panjang.';

export function page(article: string, opts: { head?: string; lang?: string; before?: string; after?: string } = {}): string {
  return [
    '<!DOCTYPE html>',
    `<html${opts.lang === undefined ? '' : ` lang="${opts.lang}"`}>`,
    '<head>',
    '<meta charset="utf-8">',
    '<title>Jalan Baru di Jawa Barat - Berita Kita</title>',
    opts.head ?? '<style>body { font-family: serif; } .x > p { color: red; }</style>',
    '</head>',
    '<body>',
    '<nav class="menu"><a href="/">Beranda</a> <a href="/politik">Politik</a> <a href="/ekonomi">Ekonomi</a></nav>',
    opts.before ?? '',
    '<article>',
    '<h1>Jalan Baru di Jawa Barat</h1>',
    '<p class="byline">Oleh: Budi Santoso</p>',
    article,
    `<p>${FILLER}</p>`,
    `<p>${FILLER.replace('Pemerintah daerah', 'Gubernur')}</p>`,
    '</article>',
    opts.after ?? '',
    '<footer><p>Hak cipta 2024 Berita Kita. Semua hak dilindungi.</p></footer>',
    '<script>window.analytics = { page: "artikel" };</script>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

export const INLINE = page(
  '<p>Presiden <b>Joko Widodo</b> mengatakan bahwa proyek itu <em>sangat penting</em> bagi warga.<sup>1</sup></p>\n' +
    '<p>Menurut <strong>laporan <a href="https://contoh.id/laporan?id=7" title="Laporan lengkap">Bank Dunia</a> terbaru</strong>, ' +
    'biaya naik &amp; waktu tunggu bertambah&nbsp;dua bulan.</p>\n' +
    '<p>Baris pertama alamat kantor.<br>Baris kedua alamat kantor di Bandung.</p>\n' +
    '<p>Kantor cabang di Jalan Merdeka 5<br>Bandung utara</p>\n' +
    '<p>Warga menunggu <i>kabar</i> baik.<script>var x = "jangan diterjemahkan";</script> Mereka tetap berharap.</p>\n' +
    '<p>Perintahnya adalah <code>make install</code> di server kantor.</p>\n' +
    '<div class="baca-juga"><strong>Baca juga:</strong><ul><li><a href="/a">Harga beras naik lagi</a></li><li><a href="/b">Banjir di Bekasi surut</a></li></ul></div>\n' +
    '<pre>kode --jangan diterjemahkan</pre>\n' +
    '<div class="ads-banner">Iklan: beli sekarang juga diskon besar</div>',
);

/** A page in windows-1252 (as old Indonesian sites serve): "café", “quotes” and an en dash. */
export function windows1252Page(): Buffer {
  const text = page('<p>Kami minum kopi di caf\u00e9 \u201cSenja\u201d \u2013 tempat favorit warga.</p>').replace(
    '<meta charset="utf-8">',
    '<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">',
  );
  const bytes: number[] = [];
  const special: Record<string, number> = { '\u201c': 0x93, '\u201d': 0x94, '\u2013': 0x96 };
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    bytes.push(special[ch] ?? (cp < 256 ? cp : 0x3f));
  }
  return Buffer.from(bytes);
}

export const NO_ARTICLE = [
  '<!DOCTYPE html><html><head><title>Beranda</title></head><body>',
  '<nav><a href="/">Beranda</a> <a href="/x">Politik</a></nav>',
  '<footer>Hak cipta 2024</footer>',
  '</body></html>',
].join('\n');
