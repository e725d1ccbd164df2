"""Pages of the incidents app: the dispatcher console and the department workbench."""
