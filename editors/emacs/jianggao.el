;;; jianggao.el --- Eglot setup for jianggao (讲稿), a language server for Chinese speeches  -*- lexical-binding: t; -*-

;; Copyright (C) 2026 jianggao contributors
;; SPDX-License-Identifier: MIT

;; Author: jianggao contributors
;; Version: 0.1.0
;; Package-Requires: ((emacs "29.1"))
;; Keywords: languages, wp, chinese

;;; Commentary:

;; Connects Eglot (built into Emacs 29+) to the `jianggao' language server
;; for plain-text and Markdown speech drafts.
;;
;;   (add-to-list 'load-path "/path/to/jianggao/editors/emacs")
;;   (require 'jianggao)
;;   (add-hook 'text-mode-hook #'jianggao-eglot-ensure)
;;   (add-hook 'markdown-mode-hook #'jianggao-eglot-ensure)   ; if you use markdown-mode
;;
;; Settings are the `jianggao-*' user options (M-x customize-group RET
;; jianggao).  They are sent as initializationOptions and as the answer to
;; workspace/configuration (section "jianggao").  A project can override
;; them in .dir-locals.el, the usual Eglot way:
;;
;;   ((nil . ((eglot-workspace-configuration
;;             . (:jianggao (:speakingRate 200
;;                           :rules (:placeholder "off")
;;                           :inlayHints (:enable t)
;;                           :glossaryPath ""
;;                           :indent "fullwidth"))))))

;;; Code:

(require 'eglot)
(require 'cl-lib)

(defgroup jianggao nil
  "Chinese speech drafts checked by the jianggao language server."
  :group 'eglot
  :prefix "jianggao-")

(defcustom jianggao-server-command '("jianggao" "lsp")
  "Program and arguments that start the jianggao language server.
Use a full path if jianggao is not on `exec-path', e.g.
\(\"~/.cargo/bin/jianggao\" \"lsp\")."
  :type '(repeat string))

(defcustom jianggao-modes '(text-mode markdown-mode gfm-mode)
  "Major modes in which `jianggao-eglot-ensure' starts Eglot.
Only these exact modes count, not modes derived from them (so Org,
commit messages etc. are left alone)."
  :type '(repeat symbol))

(defcustom jianggao-only-chinese-drafts nil
  "When non-nil, only start jianggao in buffers that contain Chinese text.
Used by `jianggao-eglot-ensure'."
  :type 'boolean)

(defcustom jianggao-speaking-rate 220
  "Speaking rate in characters per minute (字/分钟)."
  :type 'number)

(defcustom jianggao-rules nil
  "Severity per rule, an alist of (RULE . SEVERITY).
RULE is a rule code string such as \"numbering-gap\" or \"placeholder\";
SEVERITY is one of \"error\", \"warning\", \"info\", \"hint\", \"off\".
Rules not listed keep the server's default severity."
  :type '(alist :key-type string
                :value-type (choice (const "error") (const "warning") (const "info")
                                    (const "hint") (const "off"))))

(defcustom jianggao-inlay-hints nil
  "Whether the server should produce inlay hints.
Eglot shows them when `eglot-inlay-hints-mode' is on."
  :type 'boolean)

(defcustom jianggao-glossary-path ""
  "Path to a jianggao.toml glossary; empty means <workspace>/jianggao.toml."
  :type 'string)

(defcustom jianggao-indent "keep"
  "Paragraph indentation applied by formatting."
  :type '(choice (const :tag "Keep as written" "keep")
                 (const :tag "Two full-width spaces" "fullwidth")
                 (const :tag "No indentation" "none")))

(defcustom jianggao-date ""
  "Date (YYYY-MM-DD) a draft without a date in its title block is judged at.
Empty means today."
  :type 'string)

(defun jianggao-settings ()
  "The settings object sent to the server, as a plist for Eglot."
  (let ((rules (make-hash-table :test #'equal)))
    (dolist (rule jianggao-rules)
      (puthash (format "%s" (car rule)) (format "%s" (cdr rule)) rules))
    (list :speakingRate jianggao-speaking-rate
          :rules rules                  ; a hash table, so that empty is {} not null
          :inlayHints (list :enable (if jianggao-inlay-hints t :json-false))
          :glossaryPath (or jianggao-glossary-path "")
          :indent jianggao-indent
          :date (or jianggao-date ""))))

;;; Server class: initializationOptions come from the user options.

(defclass jianggao-eglot-server (eglot-lsp-server) ()
  :documentation "Eglot connection to the jianggao language server.")

(cl-defmethod eglot-initialization-options ((_server jianggao-eglot-server))
  "Send the `jianggao-*' options as initializationOptions."
  (jianggao-settings))

;;; workspace/configuration: answer section "jianggao" from the user options,
;;; unless the project sets `eglot-workspace-configuration' itself.

(defvar jianggao--previous-workspace-configuration nil
  "Default value of `eglot-workspace-configuration' before jianggao was loaded.")

(defun jianggao-workspace-configuration (&optional server)
  "Workspace configuration: the previous default plus (:jianggao SETTINGS)."
  (let ((previous (if (functionp jianggao--previous-workspace-configuration)
                      (funcall jianggao--previous-workspace-configuration server)
                    jianggao--previous-workspace-configuration)))
    (if (plist-member previous :jianggao)
        previous
      (append (list :jianggao (jianggao-settings)) previous))))

(unless (eq (default-value 'eglot-workspace-configuration) #'jianggao-workspace-configuration)
  (setq jianggao--previous-workspace-configuration (default-value 'eglot-workspace-configuration))
  (setq-default eglot-workspace-configuration #'jianggao-workspace-configuration))

;;; Non-ASCII file names (讲稿.txt): Eglot 1.17 (Emacs 30.1) turns a URI
;;; such as file:///x/%E8%AE%B2%E7%A8%BF.txt into the undecoded bytes
;;; "/x/\350\256\262\347\250\277.txt", which matches no buffer, so
;;; diagnostics, locations and edits for such files are dropped.  Decode
;;; the bytes as UTF-8 (what `eglot-path-to-uri' encoded them from).

(defun jianggao--decode-uri-path (path)
  "Decode PATH, a file name from `eglot-uri-to-path', if it is raw UTF-8 bytes."
  (if (and (stringp path)
           (cl-some (lambda (c) (eq (char-charset c) 'eight-bit)) path))
      (decode-coding-string path 'utf-8 t)
    path))

(advice-add 'eglot-uri-to-path :filter-return #'jianggao--decode-uri-path)

;;; Which buffers get the server.

(defun jianggao--contact (&optional _interactive)
  "Eglot contact for jianggao, re-read each time so option changes apply."
  (cons 'jianggao-eglot-server jianggao-server-command))

(add-to-list 'eglot-server-programs
             `(((text-mode :language-id "plaintext")
                (markdown-mode :language-id "markdown")
                (gfm-mode :language-id "markdown"))
               . jianggao--contact))

(defun jianggao--chinese-p ()
  "Non-nil when the buffer contains a Han character or CJK punctuation."
  (save-excursion
    (goto-char (point-min))
    (re-search-forward "[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]" nil t)))

;;;###autoload
(defun jianggao-eglot-ensure ()
  "Start Eglot with jianggao in this buffer if it is a speech draft.
Meant for `text-mode-hook' and `markdown-mode-hook'."
  (when (and (memq major-mode jianggao-modes)
             (or (not jianggao-only-chinese-drafts) (jianggao--chinese-p)))
    (eglot-ensure)))

;;; Commands for the server's extras.

(defun jianggao--server ()
  (or (eglot-current-server) (user-error "jianggao: Eglot is not running in this buffer")))

(defun jianggao-statistics ()
  "Show length and speaking time of the draft, per section (jianggao/statistics)."
  (interactive)
  (let* ((server (jianggao--server))
         (result (jsonrpc-request server :jianggao/statistics
                                  `(:textDocument ,(eglot--TextDocumentIdentifier))))
         (buffer (current-buffer))
         (file (or (buffer-file-name) (buffer-name))))
    (with-current-buffer (get-buffer-create "*jianggao statistics*")
      (let ((inhibit-read-only t))
        (erase-buffer)
        (insert (format "%s\n全文 %d 字，约 %.1f 分钟 (%d chars, ~%.1f min)\n\n"
                        file (plist-get result :chars) (plist-get result :minutes)
                        (plist-get result :chars) (plist-get result :minutes)))
        (seq-doseq (section (plist-get result :sections))
          (insert-text-button
           (format "L%-5d %6d 字  %5.1f 分钟  %s"
                   (1+ (plist-get section :line)) (plist-get section :chars)
                   (plist-get section :minutes) (plist-get section :name))
           'action (let ((line (plist-get section :line)))
                     (lambda (_)
                       (pop-to-buffer buffer)
                       (goto-char (point-min))
                       (forward-line line)))
           'follow-link t)
          (insert "\n")))
      (special-mode)
      (display-buffer (current-buffer)))))

(defun jianggao-renumber ()
  "Renumber the points at point (code action refactor.rewrite.jianggao.renumber)."
  (interactive)
  (jianggao--server)
  (eglot-code-actions (point) (point) "refactor.rewrite.jianggao.renumber" t))

(defun jianggao-fix-all ()
  "Apply every safe fix in the buffer (code action source.fixAll.jianggao)."
  (interactive)
  (jianggao--server)
  (eglot-code-actions (point-min) (point-max) "source.fixAll.jianggao" t))

(provide 'jianggao)
;;; jianggao.el ends here
