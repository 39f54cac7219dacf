#!/usr/bin/env bash
# End-to-end benchmark of the release binary on synthetic data.
#
#   scripts/bench.sh            # 100,000 attendees for import, 10,000 for the rest
#   RUNS=5 scripts/bench.sh     # best of 5 runs per job (default 3)
#   BENCH_DIR=/tmp/b scripts/bench.sh   # keep the files there (default: a temp folder, removed)
#   SESSIONS=100 SESSION_ROWS=300 scripts/bench.sh   # the online-attendance job (needs python3)
#
# Every job is timed with GNU time (`/usr/bin/time -v`): the table shows the
# best wall time of RUNS runs, the peak memory (max RSS) of that run, and the
# size of what it wrote. Inputs come from the hidden `taller generate`
# (seeded, so every run reads the same sheets).
set -euo pipefail

cd "$(dirname "$0")/.."
RUNS=${RUNS:-3}
IMPORT_N=${IMPORT_N:-100000}
CERT_N=${CERT_N:-10000}
SEED=${SEED:-2016}

if [[ ! -x /usr/bin/time ]]; then
    echo "bench.sh needs GNU time (/usr/bin/time): apt-get install time" >&2
    exit 2
fi

# `generate` is built only with the `bench` feature.
cargo build --release --quiet --features bench
BIN=$PWD/target/release/taller

if [[ -n ${BENCH_DIR:-} ]]; then
    DIR=$BENCH_DIR
    mkdir -p "$DIR"
else
    DIR=$(mktemp -d)
fi
# The organiser's signing key must not sit in a folder taller writes
# into (the merged PDFs are written into DIR itself).
KEY_DIR=$(mktemp -d)
if [[ -n ${BENCH_DIR:-} ]]; then
    trap 'rm -rf "$KEY_DIR"' EXIT
else
    trap 'rm -rf "$DIR" "$KEY_DIR"' EXIT
fi
cd "$DIR"

echo "generating data in $DIR ..." >&2
"$BIN" generate --force -n "$IMPORT_N" --seed "$SEED" -o big.xlsx
"$BIN" generate --force -n "$IMPORT_N" --seed "$SEED" -o big.csv
"$BIN" generate --force -n "$IMPORT_N" --seed "$SEED" --format csv-1252 -o big-1252.csv
# Registrations hold ~3 % duplicates and bad emails, so a few more than
# CERT_N are generated and the roster cut to exactly CERT_N people.
"$BIN" generate --force -n $((CERT_N * 105 / 100)) --seed "$SEED" -o small.csv

# A workshop with a QR code on each certificate and the certificate
# attached to each email: the heaviest ordinary configuration.
mkdir -p templates
cp "$OLDPWD"/tests/fixtures/followup/templates/followup.*.hbs templates/
cat > workshop.toml <<'EOF'
[workshop]
id = "bench-2026"
title = "Campañas en redes sociales y contranarrativas"
city = "Madrid"
venue = "Centro Cultural La Corrala"
date = 2016-01-27
hours = 4
language = "es"
organiser = "Red de Formación para ONG"

[certificate]
signatory = "Marta Aguirre Solís"
signatory_role = "Coordinadora del programa"
verify_url = "https://example.org/verify/{id}"
signing_key = "KEY_DIR/signing-key"

[followup]
template = "templates/followup"
from = "Red de Formación para ONG <formacion@example.org>"
attach_certificate = true
attach = []
EOF
sed -i "s|KEY_DIR/|$KEY_DIR/|" workshop.toml
"$BIN" import --quiet --force --workshop workshop.toml small.csv -o roster-all.csv
# (generated values hold no line breaks, so a line is a person)
head -n $((CERT_N + 1)) roster-all.csv > roster.csv
if (($(wc -l < roster.csv) != CERT_N + 1)); then
    echo "bench.sh: the generated roster has fewer than $CERT_N people" >&2
    exit 1
fi
# A tenth of the roster, to show that follow-up memory does not grow with it.
head -n $((CERT_N / 10 + 1)) roster.csv > roster-tenth.csv
# Attendance by time: SESSIONS Zoom participant reports of SESSION_ROWS rows
# (rejoins, two devices at once) and their registrations.
SESSIONS=${SESSIONS:-100}
SESSION_ROWS=${SESSION_ROWS:-300}
python3 "$OLDPWD"/scripts/sessions.py . "$SESSIONS" "$SESSION_ROWS" "$SEED"
SESSION_ARGS=()
for f in session-*.csv; do SESSION_ARGS+=(--attendance "$f"); done

ROWS=()

# size of a file or folder, in bytes
bytes_of() { du -sb "$@" 2>/dev/null | awk '{s += $1} END {print s + 0}'; }

# measure LABEL AIM CLEAN OUTPUT -- COMMAND...
#   CLEAN: paths removed before each run; OUTPUT: what to size afterwards.
measure() {
    local label=$1 aim=$2 clean=$3 output=$4
    shift 5
    local best="" best_rss="" run wall rss
    for ((run = 0; run < RUNS; run++)); do
        # shellcheck disable=SC2086
        rm -rf $clean
        if ! /usr/bin/time -v -o time.txt "$@" >/dev/null 2>err.txt; then
            echo "FAILED: $label: $*" >&2
            cat err.txt >&2
            exit 1
        fi
        wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {
            n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }' time.txt)
        rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' time.txt)
        if [[ -z $best ]] || awk -v a="$wall" -v b="$best" 'BEGIN {exit !(a < b)}'; then
            best=$wall
            best_rss=$rss
        fi
    done
    # shellcheck disable=SC2086
    local size
    size=$(bytes_of $output)
    ROWS+=("$(printf '%-44s %8.2f %9.1f %12s   %s' "$label" "$best" \
        "$(awk -v k="$best_rss" 'BEGIN {print k / 1024}')" \
        "$(numfmt --to=iec --suffix=B "$size")" "$aim")")
}

measure "import $IMPORT_N rows, XLSX" "<= 1 s, 200 MB" \
    "r-xlsx.csv" "r-xlsx.csv" -- "$BIN" import --quiet big.xlsx -o r-xlsx.csv
measure "import $IMPORT_N rows, CSV UTF-8" "<= 0.3 s, 200 MB" \
    "r-csv.csv" "r-csv.csv" -- "$BIN" import --quiet big.csv -o r-csv.csv
measure "import $IMPORT_N rows, CSV Windows-1252 ;" "<= 0.3 s, 200 MB" \
    "r-1252.csv" "r-1252.csv" -- "$BIN" import --quiet big-1252.csv -o r-1252.csv
measure "certificates $CERT_N, one file each" "<= 20 KB each" \
    "certs" "certs" -- "$BIN" certificates --quiet --roster roster.csv --workshop workshop.toml -o certs
measure "certificates $CERT_N, one file each + merged" "<= 20 KB each" \
    "certs-m all.pdf" "all.pdf" -- "$BIN" certificates --quiet --roster roster.csv --workshop workshop.toml -o certs-m --merged all.pdf
measure "certificates $CERT_N, merged only" "<= 0.75 s, 5 MB, flat memory" \
    "merged-only.pdf" "merged-only.pdf" -- "$BIN" certificates --quiet --roster roster.csv --workshop workshop.toml --merged merged-only.pdf --merged-only
measure "certificates $((CERT_N / 10)), merged only (memory check)" "same max MB as above" \
    "merged-tenth.pdf" "merged-tenth.pdf" -- "$BIN" certificates --quiet --roster roster-tenth.csv --workshop workshop.toml --merged merged-tenth.pdf --merged-only
# the follow-up attaches the certificates made by the last run
measure "followup $CERT_N attendees, certificate attached" "<= 5 s, flat memory" \
    "outbox" "outbox" -- "$BIN" followup --quiet --roster roster.csv --workshop workshop.toml --certificates certs-m -o outbox

measure "followup $((CERT_N / 10)) attendees (memory check)" "same max MB as above" \
    "outbox-tenth" "outbox-tenth" -- "$BIN" followup --quiet --roster roster-tenth.csv --workshop workshop.toml --certificates certs-m -o outbox-tenth

measure "import + $SESSIONS sessions x $SESSION_ROWS rows" "well under 1 s" \
    "r-sessions.csv" "r-sessions.csv" -- "$BIN" import --quiet registrations.csv "${SESSION_ARGS[@]}" --min-attendance 2000m -o r-sessions.csv
# A programme of PROGRAMME_N workshops of 200 registrations each, in mixed
# formats (UTF-8 CSV, Spanish-Excel CSV, XLSX); seeds repeat every 40
# workshops, so people come back to several workshops; two workshops in
# three have a check-in sheet (three in four of their people came).
PROGRAMME_N=${PROGRAMME_N:-100}
mkdir -p programme
printf '[programme]\nid = "bench"\ntitle = "Bench programme"\nworkshops = ["*/workshop.toml"]\n' > programme/programme.toml
for ((i = 0; i < PROGRAMME_N; i++)); do
    w=$(printf 'programme/w%03d' "$i")
    mkdir -p "$w"
    seed=$((SEED + i % 40))
    case $((i % 3)) in
        0) sheet=inscripciones.csv; format=csv ;;
        1) sheet=inscripciones-1252.csv; format=csv-1252 ;;
        *) sheet=inscripciones.xlsx; format=xlsx ;;
    esac
    "$BIN" generate --force -n 200 --seed "$seed" --format "$format" -o "$w/$sheet" 2>/dev/null
    attendance=""
    if ((i % 3 != 2)); then
        "$BIN" generate --force -n 200 --seed "$seed" -o "$w/plain.csv" 2>/dev/null
        python3 - "$w/plain.csv" "$w/checkin.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8")))[1:]
with open(sys.argv[2], "w", encoding="utf-8", newline="") as out:
    w = csv.writer(out)
    w.writerow(["Nombre", "Correo", "Asistió"])
    for n, row in enumerate(rows):
        if n % 4 != 3 and len(row) > 2:
            w.writerow([row[0] + " " + row[1], row[2].strip(), "x"])
PY
        rm "$w/plain.csv"
        attendance='attendance = "checkin.csv"'
    fi
    printf '[workshop]\nid = "w%03d"\ntitle = "Taller %d"\ncity = "Madrid"\ndate = 2016-%02d-%02d\n\n[registration]\nsources = ["%s"]\n%s\n' \
        "$i" "$i" $((i % 12 + 1)) $((i % 28 + 1)) "$sheet" "$attendance" > "$w/workshop.toml"
done
measure "report, $PROGRAMME_N workshops x 200 registrations" "<= 2 s, 300 MB" \
    "report" "report" -- "$BIN" report --quiet programme/programme.toml -o report

# The merged file must stay archival at full size: PDF/A-2b by the
# validator the conformance tests run, when it is installed.
if python3 -c "import page" 2>/dev/null; then
    archival=$(python3 -c "
import page, sys
failures = page.validate_pdf(sys.argv[1], profile='2b').failures
print('passes PDF/A-2b' if not failures else '%d PDF/A-2b failures' % len(failures))
" merged-only.pdf)
else
    archival="not validated (pip install page-validation)"
fi

certs=$(find certs -name '*.pdf' | wc -l)
emls=$(find outbox -name '*.eml' | wc -l)

echo
echo "taller $("$BIN" --version | awk '{print $2}'), $(nproc) cores, best of $RUNS runs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-44s %8s %9s %12s   %s\n' "job" "wall s" "max MB" "output" "aim"
printf '%s\n' "${ROWS[@]}"
echo
echo "merged-only.pdf, $CERT_N certificates: $archival"
echo "$certs certificate files, $(( $(bytes_of certs) / (certs > 0 ? certs : 1) / 1024 )) KB each on average (certificates.json included)"
echo "$emls .eml files (one for each attendee who agreed to be contacted), $(( $(bytes_of outbox) / (emls > 0 ? emls : 1) / 1024 )) KB each on average"
