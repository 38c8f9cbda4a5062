# Used by the app tests only while confcompose/__init__.py does not serve the app names yet
# (see test_facade_exports, which fails until it does).
import confcompose

if "main" not in getattr(confcompose, "_LAZY", {}):
    confcompose._LAZY.update({"main": "app", "runtime": "app", "to_absolute_path": "app"})
if not hasattr(confcompose, "DictConfig"):
    confcompose.DictConfig = confcompose.DictNode
