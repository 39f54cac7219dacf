#!/usr/bin/env python3
"""Writes a bench of online sessions: registrations.csv (N people) and
SESSIONS Zoom participant reports (per-join layout, metadata block above
the table), ROWS rows each, with rejoins and two devices at once.

    scripts/sessions.py DIR [SESSIONS [ROWS [SEED]]]

Seeded, so every run writes the same files.
"""
import csv
import random
import sys

out = sys.argv[1]
sessions = int(sys.argv[2]) if len(sys.argv) > 2 else 100
rows = int(sys.argv[3]) if len(sys.argv) > 3 else 300
rng = random.Random(int(sys.argv[4]) if len(sys.argv) > 4 else 2016)

given = ["Ane", "Iñaki", "Miren", "Jon", "Nerea", "Koldo", "Itziar", "Gorka", "Leire", "Unai",
         "Αλέξανδρος", "Олена", "María José", "Josep", "Núria", "Xabier"]
family = ["Etxeberria", "Zubizarreta", "Uriarte", "Aranburu", "Agirre", "Otxoa", "Goikoetxea",
          "Παπαδόπουλος", "Коваленко", "García López", "Puig", "Larrea", "Ibarra", "Arrieta"]
people = []
for i in range(rows):
    name = f"{rng.choice(given)} {rng.choice(family)} {rng.choice(family)}"
    people.append((name, f"p{i:04d}@example.org"))

with open(f"{out}/registrations.csv", "w", encoding="utf-8", newline="") as f:
    w = csv.writer(f)
    w.writerow(["Nombre y apellidos", "Correo"])
    for name, email in people:
        w.writerow([name, email])


def stamp(day, minutes):
    h, m = divmod(600 + minutes, 60)
    return f"06/{day:02d}/2016 {(h - 1) % 12 + 1:02d}:{m:02d}:00 {'PM' if h >= 12 else 'AM'}"


for s in range(sessions):
    day = 1 + s % 28
    table = []
    while len(table) < rows:
        name, email = rng.choice(people)
        join = rng.randrange(0, 60)
        leave = min(join + rng.randrange(10, 90), 120)
        table.append((name, email, join, leave))
        if rng.random() < 0.3 and len(table) < rows:
            # A rejoin, or a second device that overlaps the first.
            again = rng.randrange(join, leave + 20)
            table.append((name, email, again, min(again + rng.randrange(5, 40), 120)))
    with open(f"{out}/session-{s + 1:03d}.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["Meeting ID", "Topic", "Start Time", "End Time", "User Email", "Duration (Minutes)",
                    "Participants", ""])
        w.writerow(["845 2211 0937", "Sesión", stamp(day, 0), stamp(day, 120), "host@example.org", "120",
                    str(rows), ""])
        w.writerow([])
        w.writerow(["Name (Original Name)", "User Email", "Join Time", "Leave Time", "Duration (Minutes)",
                    "Guest", "In Waiting Room"])
        for name, email, join, leave in table:
            w.writerow([name, email, stamp(day, join), stamp(day, leave), str(leave - join), "No", "No"])
