;; unchanged: rw runs the module as it is
