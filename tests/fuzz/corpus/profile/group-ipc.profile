seccomp on
seccomp default errno EPERM
seccomp allow pipe pipe2 eventfd eventfd2 futex futex_waitv get_robust_list
seccomp allow shmget shmat shmdt shmctl semget semop semtimedop semctl
seccomp allow msgget msgsnd msgrcv msgctl
seccomp allow mq_open mq_unlink mq_timedsend mq_timedreceive mq_notify mq_getsetattr
