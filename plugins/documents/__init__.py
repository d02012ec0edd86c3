"""Documents the board sends on paper or by mail: Word files in the layout of Vietnamese
administrative documents (Decree 30/2020/NĐ-CP), and the board-editable texts in them.

Pure code (python-docx, Jinja), no Pelican: the quota report (``plugins.targets.document``)
and the royalty payment list are made with it.
"""
