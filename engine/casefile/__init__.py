"""The case file (卷宗): what was decided on a case and by whom, the essentials of each stage, the
comments and evidence staff add beside the workflow, and who may read a party's full ID number."""
