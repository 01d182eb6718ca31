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
  for (const span of [...spans].sort((a, b) => a.start - b.start)) {
    if (span.start < at || span.end > note.length) continue; // overlapping or stale span: skip it
    if (span.start > at) parts.push(note.slice(at, span.start));
    parts.push(
      <mark key={`${span.start}-${span.end}`} className="term" title={`matched: ${span.term}`}>
        {note.slice(span.start, span.end)}
      </mark>,
    );
    at = span.end;
  }
  if (at < note.length) parts.push(note.slice(at));
  return <>{parts}</>;
}
