;;; e2e.el --- Emacs + Eglot end-to-end test of editors/emacs/jianggao.el  -*- lexical-binding: t; -*-

;; emacs -Q --batch -l e2e.el REPO SERVER DRAFT [CAPTURE_OUT]
;;
;; Opens DRAFT (a copy of fixtures/讲稿.txt in a scratch folder) in text-mode,
;; starts Eglot through jianggao.el and checks diagnostics (Flymake), the
;; outline (imenu), hover (the Eldoc function), completion (the
;; completion-at-point function and its exit function) and a quick fix
;; (eglot-code-actions).  Prints "PASS emacs: …" / "FAIL emacs: …" lines.
;; With CAPTURE_OUT the server is started through tools/lsp_log_proxy.py,
;; which writes Eglot's initialize params there (run.sh --record).

(require 'cl-lib)
(require 'subr-x)

(defvar e2e-repo (nth 0 command-line-args-left))
(defvar e2e-server (nth 1 command-line-args-left))
(defvar e2e-draft (nth 2 command-line-args-left))
(defvar e2e-capture (nth 3 command-line-args-left))
(setq command-line-args-left nil)

(defvar e2e-timeout (/ (string-to-number (or (getenv "JIANGGAO_E2E_TIMEOUT_MS") "15000")) 1000.0))
(defvar e2e-failed 0)

(prefer-coding-system 'utf-8)
(setq inhibit-message nil
      eglot-sync-connect e2e-timeout
      eglot-connect-timeout e2e-timeout
      eglot-events-buffer-config '(:size 2000000 :format full))

(defun e2e-out (fmt &rest args)
  (princ (concat (apply #'format fmt args) "\n")))

(defmacro e2e-check (name &rest body)
  "Run BODY; print PASS with its value as a note, or FAIL with the error."
  (declare (indent 1))
  `(condition-case err
       (let ((note (progn ,@body)))
         (e2e-out "PASS emacs: %s%s" ,name (if note (format " (%s)" note) ""))
         t)
     (error
      (cl-incf e2e-failed)
      (e2e-out "FAIL emacs: %s: %s" ,name (replace-regexp-in-string "\n" " | " (error-message-string err)))
      nil)))

(defun e2e-wait (pred &optional what)
  "Process events until PRED is non-nil or the timeout passes."
  (let ((deadline (+ (float-time) e2e-timeout)) v)
    (while (and (not (setq v (funcall pred))) (< (float-time) deadline))
      (accept-process-output nil 0.05))
    (or v (error "Timed out after %.0fs waiting for %s" e2e-timeout (or what "a condition")))))

(defun e2e-assert (cond fmt &rest args)
  (unless cond (error "%s" (apply #'format fmt args))))

;;; Load the configuration under test, the way its README says.
(add-to-list 'load-path (expand-file-name "editors/emacs" e2e-repo))
(require 'jianggao)
(setq jianggao-server-command
      (if (and e2e-capture (not (string-empty-p e2e-capture)))
          (list "python3" (expand-file-name "editors/e2e/tools/lsp_log_proxy.py" e2e-repo)
                e2e-capture e2e-server "lsp")
        (list e2e-server "lsp")))

(find-file e2e-draft)
(switch-to-buffer (current-buffer))     ; hover output is only delivered to a buffer in a window
(defvar e2e-buf (current-buffer))
(defvar e2e-server-obj nil)

(unless
    (e2e-check (format "eglot %s attaches in text-mode (Emacs %s)" (mapconcat #'number-to-string (cdr (assq 'eglot package--builtin-versions)) ".") emacs-version)
      (e2e-assert (eq major-mode 'text-mode) "major mode %s" major-mode)
      (apply #'eglot (eglot--guess-contact))
      (setq e2e-server-obj (e2e-wait (lambda () (with-current-buffer e2e-buf (eglot-current-server))) "eglot-current-server"))
      (e2e-assert (eglot-managed-p) "buffer not managed")
      (format "%s, languageId %s" (plist-get (eglot--server-info e2e-server-obj) :name)
              (plist-get (eglot--TextDocumentItem) :languageId)))
  (e2e-out "emacs: %d failed" e2e-failed)
  (kill-emacs 1))

(when (and e2e-capture (not (string-empty-p e2e-capture)))
  (eglot-shutdown e2e-server-obj)
  (kill-emacs 0))

(defun e2e-line (n)
  "Text of 0-based line N."
  (save-excursion (goto-char (point-min)) (forward-line n)
                  (buffer-substring-no-properties (line-beginning-position) (line-end-position))))

(defun e2e-goto (line text &optional offset)
  "Go to 0-based LINE, at TEXT plus OFFSET characters."
  (goto-char (point-min)) (forward-line line)
  (e2e-assert (search-forward text (line-end-position) t) "no %s on line %d" text line)
  (goto-char (+ (match-beginning 0) (or offset 0))))

(e2e-check "position encoding is one Eglot offered"
  (let ((enc (plist-get (eglot--capabilities e2e-server-obj) :positionEncoding)))
    (e2e-assert (member (or enc "utf-16") '("utf-32" "utf-8" "utf-16")) "server chose %S" enc)
    (e2e-assert (eq eglot-current-linepos-function
                    (pcase (or enc "utf-16")
                      ("utf-32" #'eglot-utf-32-linepos) ("utf-8" #'eglot-utf-8-linepos)
                      ("utf-16" #'eglot-utf-16-linepos)))
                "eglot-current-linepos-function %s for %s" eglot-current-linepos-function enc)
    enc))

(e2e-check "file URI of 讲稿.txt maps back to the buffer (eglot-uri-to-path)"
  (let* ((uri (plist-get (eglot--TextDocumentIdentifier) :uri))
         (path (eglot-uri-to-path uri)))
    (e2e-assert (equal path (buffer-file-name))
                "%s → %S, buffer file %S (Eglot drops diagnostics for files it cannot map)" uri path (buffer-file-name))
    (file-name-nondirectory path)))

(defvar e2e-diag nil)
(e2e-check "Flymake shows wrong-form exactly on 党的十九精神"
  (flymake-start)
  (setq e2e-diag
        (e2e-wait (lambda ()
                    (flymake-start)
                    (cl-find-if (lambda (d)
                                  (equal (plist-get (cdr (assoc 'eglot-lsp-diag (flymake-diagnostic-data d))) :code)
                                         "wrong-form"))
                                (flymake-diagnostics)))
                  "a wrong-form Flymake diagnostic"))
  (let ((text (buffer-substring-no-properties (flymake-diagnostic-beg e2e-diag) (flymake-diagnostic-end e2e-diag))))
    (e2e-assert (equal text "党的十九精神") "diagnostic covers %S" text)
    (e2e-assert (eq (flymake-diagnostic-type e2e-diag) 'eglot-error) "type %s" (flymake-diagnostic-type e2e-diag))
    (format "%s: %s" (flymake-diagnostic-type e2e-diag) (flymake-diagnostic-text e2e-diag))))

(defun e2e-imenu-names (index &optional depth)
  "Flatten an imenu INDEX into (DEPTH . NAME) pairs."
  (cl-loop for entry in index
           append (cons (cons (or depth 0) (car entry))
                        (when (imenu--subalist-p entry)
                          (e2e-imenu-names (cdr entry) (1+ (or depth 0)))))))

(e2e-check "outline via imenu (eglot-imenu): 一、/二、 with 一是 nested"
  (let* ((index (funcall imenu-create-index-function)) ; eglot-imenu, through Eglot's advice
         (flat (e2e-imenu-names index))
         (depth-of (lambda (prefix) (car (cl-find-if (lambda (p) (string-prefix-p prefix (cdr p))) flat)))))
    (dolist (p '("一、" "二、" "一是" "二是"))
      (e2e-assert (funcall depth-of p) "no %s in %S" p (mapcar #'cdr flat)))
    (e2e-assert (> (funcall depth-of "一是") (funcall depth-of "一、")) "一是 not nested under 一、: %S" flat)
    (mapconcat (lambda (p) (concat (make-string (* 2 (car p)) ?\s) (cdr p))) flat " / ")))

(e2e-check "hover on 四个意识 through Eldoc's function shows 政治意识"
  (e2e-goto 5 "四个意识" 1)
  (let (info)
    (eglot-hover-eldoc-function (lambda (doc &rest _) (setq info (or doc "")) ))
    (e2e-wait (lambda () info) "hover")
    (e2e-assert (string-match-p "政治意识" info) "hover text: %S" info)
    (format "%d chars" (length info))))

(e2e-check "completion after “四个 offers 四个意识; the exit function applies its textEdit"
  (goto-char (point-max))
  (unless (bolp) (insert "\n"))
  (insert "　　𠮷😀要增强“四个")
  (let* ((capf (eglot-completion-at-point))
         (beg (nth 0 capf)) (end (nth 1 capf)) (table (nth 2 capf)) (props (nthcdr 3 capf))
         (cands (all-completions (buffer-substring-no-properties beg end) table nil))
         (choice (cl-find "四个意识" cands :test #'string=)))
    (e2e-assert choice "no 四个意识 among %S" (seq-take cands 10))
    ;; What minibuffer completion does when the user picks CHOICE:
    (delete-region beg end) (goto-char beg) (insert choice)
    (funcall (plist-get props :exit-function) choice 'finished)
    (let ((line (buffer-substring-no-properties (line-beginning-position) (line-end-position))))
      (e2e-assert (string-prefix-p "　　𠮷😀要增强“四个意识" line) "line after completion: %S" line)
      (e2e-assert (not (string-match-p "四个四个" line)) "prefix duplicated: %S" line)
      (delete-region (line-beginning-position 0) (point-max)) ; undo the new line
      (eglot--signal-textDocument/didChange)
      (format "%d candidates" (length cands)))))

;; Known Eglot limitation, reported rather than failed: completion bounds come
;; from `bounds-of-thing-at-point 'symbol', which spans a whole run of Han
;; characters, so "要牢固树立四个" is the pattern and 四个意识 is filtered out.
(save-excursion
  (goto-char (point-max))
  (insert "\n　　要牢固树立四个")
  (let* ((capf (eglot-completion-at-point))
         (cands (all-completions (buffer-substring-no-properties (nth 0 capf) (nth 1 capf)) (nth 2 capf) nil)))
    (e2e-out "NOTE emacs: completion pattern after 要牢固树立四个 is %S; 四个意识 %s"
             (buffer-substring-no-properties (nth 0 capf) (nth 1 capf))
             (if (member "四个意识" cands) "offered" "filtered out by Eglot (CJK word bounds)")))
  (delete-region (line-beginning-position 0) (point-max))
  (eglot--signal-textDocument/didChange))

(e2e-check "eglot-code-actions quickfix inserts 党的十九大精神; Flymake clears"
  (e2e-goto 5 "党的十九精神" 1)
  (let ((actions (eglot-code-actions (point) (point) "quickfix")))
    (e2e-assert (cl-some (lambda (a) (string-match-p "党的十九大精神" (plist-get a :title))) actions)
                "actions: %S" (mapcar (lambda (a) (plist-get a :title)) actions))
    (eglot-code-actions (point) (point) "quickfix" t)
    (e2e-assert (string-match-p "贯彻党的十九大精神。一是" (e2e-line 5)) "line 6 after the fix: %s" (e2e-line 5))
    (eglot--signal-textDocument/didChange)
    (e2e-wait (lambda ()
                (flymake-start)
                (not (cl-find-if (lambda (d)
                                   (equal (plist-get (cdr (assoc 'eglot-lsp-diag (flymake-diagnostic-data d))) :code)
                                          "wrong-form"))
                                 (flymake-diagnostics))))
              "the wrong-form diagnostic to go away")
    (plist-get (car actions) :title)))

(e2e-check "eglot-format-buffer"
  (let ((before (buffer-string)))
    (eglot-format-buffer)
    (if (equal before (buffer-string)) "no change" "changed")))

(e2e-check "jianggao-statistics (custom request jianggao/statistics)"
  (jianggao-statistics)
  (with-current-buffer "*jianggao statistics*"
    (e2e-assert (string-match-p "字" (buffer-string)) "statistics buffer: %s" (buffer-string))
    (car (split-string (buffer-string) "\n" t))))

(e2e-check "eglot-shutdown (shutdown request answered, process gone)"
  (let ((proc (jsonrpc--process e2e-server-obj)))
    (with-current-buffer e2e-buf (eglot-shutdown e2e-server-obj))
    (e2e-assert (not (process-live-p proc)) "server process still alive")
    ;; jsonrpc.el gives the process sentinel one `accept-process-output'
    ;; round (≤ 0.1 s, cut short by any output such as the server's stderr
    ;; log line on exit) before deleting the process: exit status 9 then
    ;; means "killed while already exiting", not a hang.
    (format "exit status %s" (process-exit-status proc))))

(e2e-out "emacs: %d failed" e2e-failed)
(kill-emacs (if (zerop e2e-failed) 0 1))
