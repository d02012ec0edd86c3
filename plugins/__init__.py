"""Pelican plugins of the portal: one package per capability."""
