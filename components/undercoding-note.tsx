// A therapy note with the classifier's matched words highlighted (character spans of the note).
export interface NoteSpan {
  start: number;
  end: number;
  term: string;
}

export function UndercodingNote({ note, spans }: { note: string; spans: NoteSpan[] }) {
  if (!note.trim()) return <span className="text-slate-500">(no note)</span>;
  const parts: React.ReactNode[] = [];
  let at = 0;
  for (const s of [...spans].sort((a, b) => a.start - b.start)) {
    if (s.start < at || s.end > note.length) continue; // overlapping or stale span: skip it
    if (s.start > at) parts.push(note.slice(at, s.start));
    parts.push(
      <mark key={`${s.start}-${s.end}`} className="term" title={`matched: ${s.term}`}>
        {note.slice(s.start, s.end)}
      </mark>,
    );
    at = s.end;
  }
  if (at < note.length) parts.push(note.slice(at));
  return <>{parts}</>;
}
