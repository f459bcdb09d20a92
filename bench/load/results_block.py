"""The generated block of a results file (bench/results/*.md): replaced between its markers on every run, while what the
file holds around it (earlier runs, written up by hand) is kept. Used by report.py and read_variants.sh."""
import os


def write_block(path, name, body, title):
    begin, end = f"<!-- {name}:begin -->", f"<!-- {name}:end -->"
    generated = f"{begin}\n{body.rstrip(chr(10))}\n{end}"
    text = open(path).read() if os.path.exists(path) else f"# {title}\n\n{begin}\n{end}\n"
    if begin in text and end in text:
        text = text[:text.index(begin)] + generated + text[text.index(end) + len(end):]
    else:
        text += "\n" + generated + "\n"
    open(path, "w").write(text)
