"""PDF documents of a dossier: the slips of Circular 01/2018/TT-VPCP (generated on request from
the stored data) and the electronic result that is signed and stored."""
