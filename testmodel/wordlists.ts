/**
 * Seed pieces for the synthetic SentencePiece vocabulary: frequent Indonesian and English words and
 * Indonesian affixes. Order matters: earlier entries get better scores and survive small vocabularies.
 */

/** Indonesian function words and frequent content words (news, documentation, everyday). */
export const INDONESIAN_WORDS = `
yang dan di ini itu dengan untuk dari dalam tidak akan pada ke juga ada adalah atau oleh karena
bisa saya kami kita mereka anda dia ia telah sudah lebih harus tersebut dapat seperti banyak
baru saat tahun orang hanya jika kata namun setelah masih sangat hal antara secara bahwa tetapi
sebagai serta bagi hingga agar maka menjadi kembali sama semua lain besar baik tentang lagi paling
bahkan sebuah salah satu dua tiga empat lima enam tujuh delapan sembilan sepuluh ratus ribu juta
hari waktu kali pertama terakhir mulai bulan minggu pagi malam siang sekarang kemudian sebelum
sejak selama ketika sementara pemerintah presiden menteri negara indonesia jakarta rakyat
masyarakat warga kota desa daerah provinsi wilayah dunia internasional nasional politik ekonomi
pasar harga uang rupiah dolar bank perusahaan usaha kerja pekerja pendidikan sekolah siswa guru
universitas mahasiswa kesehatan rumah sakit dokter pasien polisi hukum pengadilan kasus berita
media informasi data sistem program aplikasi komputer perangkat lunak keras berkas file folder paket
server jaringan internet situs alamat pengguna akun kata sandi layar tombol menu pilih klik tekan
buka tutup simpan hapus salin ubah atur pengaturan perintah baris teks dokumen halaman gambar
versi rilis proyek pengembang komunitas bebas sumber terbuka distribusi debian linux gnome
bagian contoh cara langkah masalah solusi fungsi fitur pilihan kondisi jumlah nilai ukuran ruang
disk memori baterai daya jam menit detik persen nomor kode nama jenis bentuk cara proses hasil
membuat memberikan menggunakan mengatakan melakukan menunjukkan meningkatkan mengambil
memiliki mendapatkan menjadi menyebutkan mengenai melalui menurut terhadap sekitar bersama
berada berbagai beberapa setiap para pihak kepada tanpa belum pernah sedang perlu ingin mau
mungkin tentu benar tinggi rendah panjang pendek cepat lambat mudah sulit penting utama umum
khusus tertentu langsung lalu pun lah kah saja sendiri begitu demikian sehingga apabila bila
walaupun meskipun supaya oleh itulah inilah apa siapa mana mengapa bagaimana kapan berapa
amerika serikat rusia china jepang eropa asia afrika australia inggris jerman prancis
pertemuan perundingan perjanjian keamanan militer perang damai hubungan kerja sama bertemu
membahas pembicaraan diplomat delegasi pejabat wakil kepala ketua anggota dewan partai pemilu
`;

/** Indonesian affixes and suffix pieces (no word boundary). */
export const INDONESIAN_AFFIXES = `
nya kan an i lah kah pun me mem men meng meny ber per pe pem pen peng peny ter di ke se
`;

/** Frequent English words, so the decoder vocabulary can spell English output too. */
export const ENGLISH_WORDS = `
the of and to in a is that for it as was with be by on not he this are or his from at which but have
an they you were her she there been one all we their has would when if so no will more can out
up about who them some could him into its then two time my only do also new than other first
any these may like our over such after most make well what year said people government president
minister country city state world news file files system user users password disk space package
repository server network port open close save delete copy change settings command line text
`;
