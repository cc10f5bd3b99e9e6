"""What other modelers write (Camunda, Activiti, Flowable), translated into what Yizhan runs."""
