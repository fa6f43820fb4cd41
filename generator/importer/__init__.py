"""Import an appendix table (Word, Excel, CSV or pasted text) into a plan file.

One module per step: a reader per input format turns the file into plain `SourceRow`s
(`docx_reader`, `xlsx_reader`, `text_reader`); `table` finds the header and joins rows split
across pages; `tasks` turns the rows into groups and tasks; `agencies` splits and resolves
agency cells; `planfile` writes the result into the plan's YAML. Every step is a pure function
over typed values except the readers' file access and `planfile.write_plan`.
"""
