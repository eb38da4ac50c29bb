"""Mail through an outbox: no request ever waits on SMTP.

A notification is a row of ``learning_mail_outbox`` written in the same
transaction as the change it reports (``outbox.queue``): the change and its
mail are saved together or not at all.  Once that transaction commits, a
background job (CKAN's jobs, Redis) delivers every mail that is due
(``delivery.deliver_due``) with a timeout on the SMTP server; a mail that
cannot be delivered stays in the outbox, is logged, and is tried again with
a growing wait (rq's scheduler: ``ckan learning worker``).  Reviewers see
what is still undelivered on the review page and through
``learning_outbox_list``.
"""
